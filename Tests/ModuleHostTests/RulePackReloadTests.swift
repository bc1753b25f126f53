import AnnotationModel
import BuiltinModules
import Foundation
import ModuleHost
import Testing

@Suite("rule packs reload when their files change")
struct RulePackReloadTests {
    func pack(_ words: [String]) -> String {
        let list = words.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"format": "scholia-rules/1", "module": "loaded", "language": "en", "kind": "loaded", "entries": [{"phrases": ["#
            + list + #"], "category": "loaded"}]}"#
    }

    /// Writes `text` and moves the file's modification time forward, so the change is seen even
    /// on file systems that keep whole seconds.
    func rewrite(_ text: String, to path: String, secondsLater: Double) throws {
        try write(text, to: path)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(secondsLater)], ofItemAtPath: path)
    }

    @Test func aChangedPackIsReadAgainAndABrokenOneKeepsTheLastGoodVersion() throws {
        let root = try temporaryDirectory()
        let packPath = root + "/loaded/loaded.en.json"
        try write(#"{"name": "loaded", "version": "1", "kinds": [{"kind": "loaded"}], "languages": ["en"], "rules": "loaded.en.json"}"#,
                  to: root + "/loaded/module.json")
        try write(pack(["slammed"]), to: packPath)
        let events = ModuleEvents()
        let registry = ModuleLoader(events: events).registry(builtins: [], modulePaths: [root], environment: [:])
        let module = try #require(registry["loaded"])
        #expect(module.status == .loaded)
        let annotator = try #require(module.annotator)
        let text = "Critics slammed the plan as a disaster."
        func found() throws -> [String] {
            try annotator.annotate(AnnotationRequest(text: text, language: .english)).map(\.text)
        }
        #expect(try found() == ["slammed"])

        // Edited on disk: after the check interval (one second) the new words are used.
        try rewrite(pack(["disaster"]), to: packPath, secondsLater: 5)
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try found() == ["disaster"])
        #expect(registry["loaded"]?.currentError == nil)

        // Broken on disk: the last good packs keep running, and the module says why.
        try rewrite(#"{"format": "scholia-rules/1", "module": "loaded""#, to: packPath, secondsLater: 10)
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try found() == ["disaster"])
        #expect(registry["loaded"]?.currentError?.contains("keeping the previous packs") == true)

        // Fixed again: back to normal.
        try rewrite(pack(["slammed", "disaster"]), to: packPath, secondsLater: 15)
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try found() == ["slammed", "disaster"])
        #expect(registry["loaded"]?.currentError == nil)
    }
}
