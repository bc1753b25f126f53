import Foundation
import JSON
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
private let fixtures = root + "/Tests/Fixtures/modules"
private let pythonExample = root + "/Plugins/examples/python-loaded-words"

/// Custom modules through the real binary: `--module-path` on modules, annotate and serve.
@Suite("custom modules through the scholia binary", .serialized)
struct ModulesEndToEndTests {
    @Test func modulesListsEveryModuleWithOriginStatusAndProblems() throws {
        let run = try CLIRun(["modules", "--module-path", fixtures])
        #expect(run.status == 0)
        #expect(run.stdout.contains("quotations"))
        #expect(run.stdout.contains("fault-ok 0.0.1  [loaded, \(fixtures)/ok]"))
        #expect(run.stdout.contains("fault-hang 0.0.1  [loaded, \(fixtures)/hang]"))
        #expect(run.stderrLines.contains("scholia: \(fixtures)/missing-field/module.json: kinds: missing"))

        let json = try CLIRun(["modules", "--json", "--module-path", fixtures])
        let modules = try JSONParser().parse(json.stdout).arrayValue ?? []
        let ok = modules.first { $0["name"] == "fault-ok" }
        #expect(ok?["origin"]?.stringValue == "\(fixtures)/ok")
        #expect(ok?["status"] == "loaded")
    }

    @Test func annotateRunsAProcessModule() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.file("article.txt", "The senator slammed the plan as a «فضيحة».")
        let run = try CLIRun(["annotate", path, "--format", "json", "--module-path", pythonExample, "--language", "en"])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try JSONParser().parse(run.stdout)
        let loaded = (answer["annotations"]?.arrayValue ?? []).filter { $0["module"] == "python-loaded-words" }
        #expect(loaded.map { $0["text"]?.stringValue ?? "" } == ["slammed"])
        #expect(loaded.first?["start"]?.intValue == 12)
    }

    @Test func serveShowsACrashOnceAndKeepsServing() throws {
        let server = try ServerProcess(arguments: ["--module-path", fixtures + "/crash-every-third"])
        try server.initialize(encodings: ["utf-32"])
        let text = #"He said: "the alpha plan will work," and left."#
        for call in 1...4 {
            let answer = try server.call("scholia/annotate", ["text": .string(text)])
            let modules = (answer["annotations"]?.arrayValue ?? []).compactMap { $0["module"]?.stringValue }
            #expect(modules.contains("quotations"), "call \(call)")
            #expect(modules.contains("fault-crash-every-third") == (call != 3), "call \(call)")
            if call == 3 { Thread.sleep(forTimeInterval: 0.7) }
        }
        let shown = try server.waitFor { $0["method"] == "window/showMessage" }
        #expect(shown["params"]?["message"]?.stringValue?.contains("exited with status 3") == true)
        #expect(try server.shutdownAndExit() == 0)
    }
}
