import AnnotationModel
import BuiltinModules
import Foundation
import JSON
import ScholiaTestSupport
import Testing
@testable import ModuleHost

@Suite struct NativeModuleTests {
    @Test func theExampleMarksLoadedWordsThroughTheServer() throws {
        let (client, registry) = makeClient(modulePaths: [try nativeExampleDirectory()])
        #expect(registry["native-loaded-words"]?.status == .loaded)
        try client.initialize(encodings: ["utf-32"])
        let text = #"The minister said: "this is a shocking scandal," and then قال إنها فضيحة."#
        let answer = try client.call("scholia/annotate", ["text": .string(text)])
        let loaded = (answer["annotations"]?.arrayValue ?? []).filter { $0["kind"] == "loaded" }
        #expect(loaded.map { $0["text"]?.stringValue ?? "" } == ["shocking", "scandal", "فضيحة"])
        #expect(loaded.allSatisfy { $0["module"] == "native-loaded-words" })
        #expect(kinds(answer).contains("quotations:quote"))
        // Offsets in the client's encoding (code points), converted from the module's UTF-8 bytes.
        let arabic = loaded[2]
        let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex,
                                                 to: text.range(of: "فضيحة")!.lowerBound.samePosition(in: text.unicodeScalars)!)
        #expect(arabic["start"]?.intValue == start)
        let modules = try client.call("scholia/modules")
        let entry = modules["modules"]?.arrayValue?.first { $0["name"] == "native-loaded-words" }
        #expect(entry?["status"] == "loaded")
        #expect(entry?["kinds"]?.arrayValue?.first?["severity"] == "warning")
    }

    @Test func aLibraryOfAnotherABIVersionIsRefused() throws {
        let compiler = ["/opt/swift/usr/bin/clang", "/usr/bin/cc", "/usr/bin/clang", "/usr/bin/gcc"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let compiler else { return }  // No C compiler: nothing to build the fixture with.
        let directory = try temporaryDirectory()
        let library = directory + "/wrong/libwrong.so"
        try FileManager.default.createDirectory(atPath: directory + "/wrong", withIntermediateDirectories: true)
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: compiler)
        cc.arguments = ["-shared", "-fPIC", fixture("wrong-abi/wrong_abi.c"), "-o", library]
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0)
        try write(#"{"name": "wrong-abi", "version": "1", "kinds": [{"kind": "fault"}], "library": "libwrong.so"}"#,
                  to: directory + "/wrong/module.json")

        let (client, registry) = makeClient(modulePaths: [directory])
        let module = try #require(registry["wrong-abi"])
        #expect(module.status == .failed)
        #expect(module.lastError == "\(library): ABI version 2 is not supported (this scholia speaks ABI version 1); rebuild the module against this scholia's scholia_module.h")
        // The server serves as ever, and lists the module with why it is not running.
        try client.initialize()
        let answer = try client.call("scholia/annotate", ["text": .string(faultText)])
        #expect(kinds(answer).sorted() == builtinKindsOfFaultText)
        let listed = try client.call("scholia/modules")["modules"]?.arrayValue?.first { $0["name"] == "wrong-abi" }
        #expect(listed?["status"] == "failed")
        #expect(listed?["lastError"]?.stringValue?.contains("ABI version 2") == true)
    }

    @Test func aLibraryWithoutTheEntryPointIsRefused() throws {
        let directory = try temporaryDirectory()
        // libjansson is a real shared library that exports no scholia_module_entry.
        let jansson = ["/usr/lib/x86_64-linux-gnu/libjansson.so.4", "/usr/lib/aarch64-linux-gnu/libjansson.so.4"]
            .first { FileManager.default.fileExists(atPath: $0) }
        guard let jansson else { return }
        try write(#"{"name": "no-entry", "version": "1", "kinds": [{"kind": "k"}], "library": "\#(jansson)"}"#,
                  to: directory + "/no-entry/module.json")
        let registry = ModuleLoader().registry(builtins: [], modulePaths: [directory], environment: [:])
        #expect(registry["no-entry"]?.lastError == "\(jansson) does not export scholia_module_entry (see scholia_module.h)")
    }
}

@Suite struct RulePackModuleTests {
    @Test func theExamplePackMarksEnglishAndArabicThroughTheServer() throws {
        let (client, registry) = makeClient(modulePaths: [example("rules-loaded-words")])
        let module = try #require(registry["rules-loaded-words"])
        #expect(module.status == .loaded, "\(module.lastError ?? "")")
        #expect(module.descriptor.scope == .paragraph)
        try client.initialize(encodings: ["utf-32"])
        let english = try client.call("scholia/annotate", ["text": #"Critics slammed the "shocking" decision."#])
        let marked = (english["annotations"]?.arrayValue ?? []).filter { $0["module"] == "rules-loaded-words" }
        #expect(marked.map { $0["text"]?.stringValue ?? "" } == ["slammed", "shocking"])
        #expect(marked.first?["attributes"]?["category"] == "attack-verb")
        #expect(kinds(english).contains("quotations:quote"))
        let arabic = try client.call("scholia/annotate", ["text": "قال النائب إن القرار «فضيحة» وكارثة.", "language": "ar"])
        let arabicMarked = (arabic["annotations"]?.arrayValue ?? []).filter { $0["module"] == "rules-loaded-words" }
        // The proclitic و is not part of the span: the pack matches the word behind it.
        #expect(arabicMarked.map { $0["text"]?.stringValue ?? "" } == ["فضيحة", "كارثة"])
        #expect(arabicMarked.map { $0["start"]?.intValue ?? -1 } == [22, 30])
    }
}
