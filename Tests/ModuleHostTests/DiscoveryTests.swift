import AnnotationModel
import BuiltinModules
import Foundation
import JSON
import ScholiaTestSupport
import Testing
@testable import ModuleHost

@Suite struct DiscoveryTests {
    func manifest(name: String, extra: String = "") -> String {
        #"{"name": "\#(name)", "version": "1.0.0", "kinds": [{"kind": "fault"}], "command": ["python3", "x.py"]\#(extra)}"#
    }

    @Test func searchesModulePathsThenTheUsersDirectory() throws {
        let root = try temporaryDirectory()
        try write(manifest(name: "first"), to: root + "/a/first/module.json")
        try write(manifest(name: "shared", extra: #", "description": "from a""#), to: root + "/a/shared/module.json")
        try write(manifest(name: "shared", extra: #", "description": "from the user""#), to: root + "/data/scholia/modules/shared/module.json")
        // A directory that is itself one module.
        try write(manifest(name: "single"), to: root + "/b/module.json")
        let registry = ModuleLoader().registry(
            builtins: BuiltinModules.annotators(), modulePaths: [root + "/a", root + "/b"],
            environment: ["XDG_DATA_HOME": root + "/data", "HOME": "/nonexistent"])
        #expect(registry.names == builtinNames + ["first", "shared", "single"])
        #expect(registry["shared"]?.descriptor.description == "from the user")
        #expect(registry["shared"]?.origin == .user(root + "/data/scholia/modules/shared"))
        #expect(registry["first"]?.origin == .directory(root + "/a/first"))
        #expect(registry["single"]?.origin.description == root + "/b")
        #expect(registry.problems.isEmpty)
    }

    @Test func theUsersDirectoryDefaultsUnderHome() {
        #expect(ModuleLoader.userModuleDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.local/share/scholia/modules")
        #expect(ModuleLoader.userModuleDirectory(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/d"]) == "/d/scholia/modules")
        #expect(ModuleLoader.userModuleDirectory(environment: [:]) == nil)
    }

    @Test func invalidManifestsAreReportedAndSkipped() throws {
        let root = try temporaryDirectory()
        try write(manifest(name: "good"), to: root + "/good/module.json")
        try write(#"{"name": "bad", "version": "1", "kinds": [{"kind": "a"}, {"kind": "b", "severity": "loud"}], "command": ["x"]}"#,
                  to: root + "/bad/module.json")
        let registry = ModuleLoader().registry(builtins: [], modulePaths: [root, root + "/missing"], environment: [:])
        #expect(registry.names == ["good"])
        #expect(registry.problems == [
            "\(root)/bad/module.json: kinds[1].severity: expected one of error, warning, information, hint",
            "\(root)/missing: module path is not a directory",
        ])
    }

    @Test func aModuleThatFailsDoesNotShadowAWorkingOne() throws {
        let root = try temporaryDirectory()
        try write(#"{"name": "quotations", "version": "9", "kinds": [{"kind": "quote"}], "library": "nothing.so"}"#,
                  to: root + "/quotations/module.json")
        try write(#"{"name": "broken", "version": "1", "kinds": [{"kind": "k"}], "library": "nothing.so"}"#,
                  to: root + "/broken/module.json")
        let registry = ModuleLoader().registry(builtins: BuiltinModules.annotators(), modulePaths: [root], environment: [:])
        #expect(registry["quotations"]?.origin == .builtin)
        #expect(registry["quotations"]?.status == .loaded)
        #expect(registry.problems.count == 1)
        #expect(registry.problems.first?.contains("cannot load library \(root)/quotations/nothing.so") == true)
        #expect(registry["broken"]?.status == .failed)
        #expect(registry["broken"]?.lastError?.hasPrefix("cannot load library \(root)/broken/nothing.so") == true)
        #expect(registry.pipeline().moduleNames == builtinNames)
    }

    @Test func aRulesModuleIsItsPacks() throws {
        let root = try temporaryDirectory()
        try write(#"{"name": "pack", "version": "1", "kinds": [{"kind": "k"}], "rules": ["a.json", "b.json"]}"#, to: root + "/pack/module.json")
        try write("alpha", to: root + "/pack/a.json")
        try write("beta", to: root + "/pack/b.json")
        let loader = ModuleLoader(rulePackLoader: { packs, manifest in
            KeywordAnnotator(name: manifest.descriptor.name, words: packs.map { String(decoding: $0.bytes, as: UTF8.self) }, kind: "k")
        })
        let loaded = loader.registry(builtins: [], modulePaths: [root], environment: [:])
        #expect(loaded["pack"]?.status == .loaded)
        #expect(loaded.pipeline().run(text: "an alpha beta", language: .english).annotations.map(\.range) == [3..<8, 9..<13])
    }

    @Test func aBrokenRulePackFailsItsModuleOnly() throws {
        let root = try temporaryDirectory()
        try write(#"{"name": "missing", "version": "1", "kinds": [{"kind": "k"}], "rules": "nowhere.json"}"#, to: root + "/missing/module.json")
        try write(#"{"name": "other", "version": "1", "kinds": [{"kind": "loaded"}], "rules": "pack.json"}"#, to: root + "/other/module.json")
        try write(#"{"format": "scholia-rules/1", "module": "someone-else", "language": "en", "entries": []}"#, to: root + "/other/pack.json")
        try write(#"{"name": "bad", "version": "1", "kinds": [{"kind": "k"}], "rules": "pack.json"}"#, to: root + "/bad/module.json")
        try write(#"{"format": "scholia-rules/9"}"#, to: root + "/bad/pack.json")
        let registry = ModuleLoader().registry(builtins: BuiltinModules.annotators(), modulePaths: [root], environment: [:])
        #expect(registry["missing"]?.lastError == "\(root)/missing/module.json: rules: cannot read \(root)/missing/nowhere.json")
        #expect(registry["other"]?.lastError == "\(root)/other/pack.json: module: the pack is for 'someone-else', the manifest names 'other'")
        #expect(registry["bad"]?.lastError?.hasPrefix("\(root)/bad/pack.json: format") == true)
        #expect(registry.pipeline().moduleNames == builtinNames)
    }
}
