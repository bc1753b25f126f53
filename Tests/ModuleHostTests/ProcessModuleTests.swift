import AnnotationModel
import Foundation
import JSON
import JSONRPC
import ScholiaTestSupport
import Testing
@testable import ModuleHost

/// Process modules through the server in process: the Python example, and fault injection. In every
/// fault case the built-in module's annotations still arrive and the server keeps serving.
@Suite(.serialized) struct ProcessModuleTests {
    @Test func thePythonExampleMarksEnglishAndArabic() throws {
        let (client, registry) = makeClient(modulePaths: [example("python-loaded-words")])
        defer { registry.shutdownModules() }
        #expect(registry["python-loaded-words"]?.status == .loaded)
        try client.initialize(encodings: ["utf-16"])
        let english = try client.call("scholia/annotate", [
            "text": #"Critics slammed the "shocking" plan."#, "language": "en",
        ])
        let loaded = (english["annotations"]?.arrayValue ?? []).filter { $0["module"] == "python-loaded-words" }
        #expect(loaded.map { $0["text"]?.stringValue ?? "" } == ["slammed", "shocking"])
        #expect(loaded.first?["attributes"]?["word"] == "slammed")
        #expect(kinds(english).contains("quotations:quote"))

        // The module counts code points; the host converts them, and the client gets UTF-16 units.
        let text = "قال الوزير 🙂 إنها «فضيحة» وكارثة"
        let arabic = try client.call("scholia/annotate", ["text": .string(text), "language": "ar"])
        let marked = (arabic["annotations"]?.arrayValue ?? []).filter { $0["module"] == "python-loaded-words" }
        #expect(marked.map { $0["text"]?.stringValue ?? "" } == ["فضيحة", "كارثة"])
        let utf16Start = text.utf16.distance(from: text.utf16.startIndex, to: text.range(of: "فضيحة")!.lowerBound)
        #expect(marked.first?["start"]?.intValue == utf16Start)
    }

    @Test func aModuleThatCrashesEveryThirdCallIsRestartedAndReportedOnce() throws {
        let (client, registry) = makeClient(modulePaths: [fixture("crash-every-third")])
        defer { registry.shutdownModules() }
        try client.initialize()
        var withFault = 0
        for call in 1...7 {
            let answer = try client.call("scholia/annotate", ["text": .string(faultText)])
            #expect(kinds(answer).contains("quotations:quote"), "call \(call)")
            if kinds(answer).contains("fault-crash-every-third:fault") { withFault += 1 }
            if call == 3 {
                #expect(answer["failures"]?.arrayValue?.first?["module"] == "fault-crash-every-third")
                // Past the first back-off (0.5 s), so the next call restarts it.
                Thread.sleep(forTimeInterval: 0.7)
            }
            if call == 6 { Thread.sleep(forTimeInterval: 1.2) }
        }
        // Calls 1, 2, 4, 5 and 7 (the restarted process counts afresh) have the module's annotations.
        #expect(withFault == 5)
        let shown = try client.waitForNotification("window/showMessage")
        #expect(shown["type"]?.intValue == 1)
        #expect(shown["message"]?.stringValue?.contains("fault-crash-every-third exited with status 3") == true)
        // Once: the second crash is logged, not shown again.
        Thread.sleep(forTimeInterval: 0.2)
        #expect(!client.drain().contains { $0.method == "window/showMessage" })
        let listed = try client.call("scholia/modules")["modules"]?.arrayValue?.first { $0["name"] == "fault-crash-every-third" }
        #expect(listed?["lastError"] == "exited with status 3")
    }

    @Test func aHangingModuleIsAbandonedAfterItsTimeout() throws {
        let (client, registry) = makeClient(modulePaths: [fixture("hang")])
        defer { registry.shutdownModules() }
        try client.initialize()
        let started = ContinuousClock.now
        let answer = try client.call("scholia/annotate", ["text": .string(faultText)])
        let elapsed = ContinuousClock.now - started
        #expect(kinds(answer).sorted() == builtinKindsOfFaultText)
        #expect(answer["failures"]?.arrayValue?.first?["message"]?.stringValue?.contains("timed out after 700 ms") == true)
        #expect(elapsed < .seconds(5))
        // Still serving, and requests that do not reach the module are not slowed by it.
        let modules = try client.call("scholia/modules")
        #expect(modules["modules"]?.arrayValue?.first { $0["name"] == "fault-hang" }?["lastError"] == "annotate timed out after 700 ms")
        let other = try client.call("scholia/annotate", ["text": .string(faultText), "modules": ["quotations"]])
        #expect(kinds(other) == ["quotations:quote"])  // only the module asked for
    }

    @Test func aModuleThatPrintsGarbageLosesOnlyItsOwnOutput() throws {
        let (client, registry) = makeClient(modulePaths: [fixture("garbage")])
        defer { registry.shutdownModules() }
        try client.initialize()
        for _ in 1...2 {
            let answer = try client.call("scholia/annotate", ["text": .string(faultText)])
            #expect(kinds(answer).sorted() == builtinKindsOfFaultText)
            #expect(answer["failures"]?.arrayValue?.first?["module"] == "fault-garbage")
        }
    }

    @Test func spansOutsideTheTextAreDroppedAndTheRestKept() throws {
        let events = ModuleEvents()
        let logged = LogLines()
        events.setHandlers(log: { logged.add($0) }, alert: { _, _ in })
        let manifest = try ModuleLoader.readManifest(fixture("out-of-range/module.json"))
        let module = ProcessModule(manifest: manifest, events: events)
        defer { module.shutdown() }
        let pipeline = AnnotationPipeline(annotators: [module])
        let result = pipeline.run(text: faultText, language: .english)
        #expect(result.annotations.map(\.text) == ["alpha"])
        #expect(result.failures.isEmpty)
        #expect(result.dropped.count == 1)
        #expect(result.dropped.first?.reason.contains("lies outside the text") == true)
        let lines = logged.lines
        #expect(lines.contains("module fault-out-of-range: dropped annotations[2]: start 4 is after end 2"))
        #expect(lines.contains("module fault-out-of-range: dropped annotations[3]: 'start' and 'end' must be integers"))
        #expect(lines.contains("module fault-out-of-range: dropped annotations[4]: expected an object, got string"))
    }

    @Test func aManifestWithAMissingFieldIsSkippedAndTheServerServes() throws {
        let (client, registry) = makeClient(modulePaths: [fixture("missing-field"), fixture("ok")])
        defer { registry.shutdownModules() }
        #expect(registry.names == builtinNames + ["fault-ok"])
        #expect(registry.problems == ["\(fixture("missing-field"))/module.json: kinds: missing"])
        try client.initialize()
        let answer = try client.call("scholia/annotate", ["text": .string(faultText)])
        #expect(kinds(answer).sorted() == (builtinKindsOfFaultText + ["fault-ok:fault"]).sorted())
        let modules = try client.call("scholia/modules")
        #expect(modules["problems"] == [.string("\(fixture("missing-field"))/module.json: kinds: missing")])
    }

    @Test func aProgramThatCannotStartIsReportedOnce() throws {
        let root = try temporaryDirectory()
        try write(#"{"name": "absent", "version": "1", "kinds": [{"kind": "fault"}], "command": ["scholia-no-such-program"]}"#,
                  to: root + "/absent/module.json")
        try write(#"{"name": "impostor", "version": "1", "kinds": [{"kind": "fault"}], "command": ["python3", "\#(fixture("fault_module.py"))", "someone-else", "ok"]}"#,
                  to: root + "/impostor/module.json")
        let (client, registry) = makeClient(modulePaths: [root])
        defer { registry.shutdownModules() }
        try client.initialize()
        let answer = try client.call("scholia/annotate", ["text": .string(faultText)])
        #expect(kinds(answer).sorted() == builtinKindsOfFaultText)
        let failures = (answer["failures"]?.arrayValue ?? []).compactMap { $0["message"]?.stringValue }
        #expect(failures.contains { $0.contains("absent") && $0.contains("exited with status 127") })
        #expect(failures.contains { $0.contains("initialize names the module 'someone-else', its manifest 'impostor'") })
        let shown = try client.waitForNotification("window/showMessage") { $0["message"]?.stringValue?.contains("absent") == true }
        #expect(shown["message"]?.stringValue?.hasPrefix("Scholia module absent could not start") == true)
        // Backing off: the next document does not wait for another attempt.
        let started = ContinuousClock.now
        _ = try client.call("scholia/annotate", ["text": .string(faultText)])
        #expect(ContinuousClock.now - started < .milliseconds(400))
    }

    @Test func shutdownStopsTheProgram() throws {
        let manifest = try ModuleLoader.readManifest(fixture("ok/module.json"))
        let module = ProcessModule(manifest: manifest, events: ModuleEvents())
        #expect(try module.annotate(AnnotationRequest(text: "alpha", language: .english)).count == 1)
        module.shutdown()
        #expect(throws: AnnotatorError.self) { try module.annotate(AnnotationRequest(text: "alpha", language: .english)) }
        #expect(module.lastError == nil)
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
