import AnnotationModel
import JSON
import Testing
@testable import ModuleHost

@Suite struct ManifestTests {
    func parse(_ text: String, path: String = "/x/module.json") throws -> ModuleManifest {
        try ModuleManifest.parse(bytes: Array(text.utf8), path: path)
    }

    func error(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func readsAProcessModule() throws {
        let manifest = try parse("""
            {"name": "loaded", "version": "1.2.0", "description": "Loaded words",
             "kinds": [{"kind": "loaded", "severity": "warning", "tokenType": "keyword"}, {"kind": "slur"}],
             "languages": ["en", "AR"], "command": ["python3", "loaded.py"], "timeoutMs": 500}
            """)
        #expect(manifest.descriptor.name == "loaded")
        #expect(manifest.descriptor.version == "1.2.0")
        #expect(manifest.descriptor.kinds == [
            KindDescriptor(kind: "loaded", defaultSeverity: .warning, tokenType: "keyword"),
            KindDescriptor(kind: "slur", defaultSeverity: .information, tokenType: "slur"),
        ])
        #expect(manifest.descriptor.languages == ["en", "ar"])
        #expect(manifest.implementation == .command(argv: ["python3", "loaded.py"]))
        #expect(manifest.timeoutMilliseconds == 500)
        #expect(manifest.directory == "/x")
        #expect(manifest.descriptor.scope == .document)
        #expect(try parse(#"{"name": "m", "version": "1", "kinds": [{"kind": "k"}], "command": ["x"], "scope": "paragraph"}"#)
            .descriptor.scope == .paragraph)
        #expect(error(#"{"name": "m", "version": "1", "kinds": [{"kind": "k"}], "command": ["x"], "scope": "page"}"#)
            == "/x/module.json: scope: expected paragraph or document")
    }

    @Test func resolvesPathsAgainstTheManifestsFolder() throws {
        let base = #"{"name": "m", "version": "1", "kinds": [{"kind": "k"}], "#
        #expect(try parse(base + #""rules": "pack.json"}"#, path: "/a/b/module.json").implementation == .rules(paths: ["/a/b/pack.json"]))
        #expect(try parse(base + #""rules": ["en.json", "/p/ar.json"]}"#, path: "/a/module.json").implementation
            == .rules(paths: ["/a/en.json", "/p/ar.json"]))
        #expect(try parse(base + #""library": "/lib/m.so"}"#).implementation == .library(path: "/lib/m.so"))
        #expect(try parse(base + #""command": ["./run", "x"]}"#, path: "/a/module.json").implementation == .command(argv: ["/a/./run", "x"]))
        #expect(try parse(base + #""command": ["node", "m.js"]}"#).timeoutMilliseconds == 2000)
    }

    @Test func namesTheFileTheFieldAndWhy() {
        let kinds = #""kinds": [{"kind": "a"}, {"kind": "b", "severity": "loud"}]"#
        #expect(error(#"{"name": "m", "version": "1", \#(kinds), "command": ["x"]}"#)
            == "/x/module.json: kinds[1].severity: expected one of error, warning, information, hint")
        #expect(error(#"{"version": "1", "kinds": [{"kind": "a"}], "command": ["x"]}"#) == "/x/module.json: name: missing")
        #expect(error(#"{"name": "m", "version": "1", "command": ["x"]}"#) == "/x/module.json: kinds: missing")
        #expect(error(#"{"name": "m", "version": "1", "kinds": [], "command": ["x"]}"#)
            == "/x/module.json: kinds: expected a non-empty array of kinds")
        #expect(error(#"{"name": "m", "version": "1", "kinds": [{"kind": "a"}]}"#)
            == "/x/module.json: missing what runs the module: exactly one of 'rules', 'command' or 'library'")
        #expect(error(#"{"name": "m", "version": "1", "kinds": [{"kind": "a"}], "command": ["x"], "library": "l.so"}"#)
            == "/x/module.json: library: only one of 'rules', 'command' or 'library' may be given (found command, library)")
        #expect(error(#"{"name": "m", "version": "1", "kinds": [{"kind": "a"}], "command": []}"#)
            == "/x/module.json: command: expected a non-empty array of strings (the program and its arguments)")
        #expect(error(#"{"name": "m", "version": "1", "kinds": [{"kind": "a"}], "command": ["x", 3]}"#)
            == "/x/module.json: command[1]: expected a string, got integer")
        #expect(error(#"{"name": "My Module", "version": "1", "kinds": [{"kind": "a"}], "command": ["x"]}"#).hasPrefix("/x/module.json: name: expected lowercase"))
        #expect(error(#"{"name": "m", "version": "1", "kinds": [{"kind": "a"}], "command": ["x"], "timeoutMs": 0}"#)
            == "/x/module.json: timeoutMs: expected an integer from 1 to 600000 (milliseconds)")
        #expect(error(#"{"name": "m", "version": 1, "kinds": [{"kind": "a"}], "command": ["x"]}"#)
            == "/x/module.json: version: expected a string, got integer")
        #expect(error("[1, 2]") == "/x/module.json: expected an object, got array")
        #expect(error("{nope").hasPrefix("/x/module.json: not valid JSON"))
    }

    @Test func backoffDoublesUpToThirtySeconds() {
        #expect(ProcessModule.backoff(afterCrashes: 1) == .milliseconds(500))
        #expect(ProcessModule.backoff(afterCrashes: 2) == .seconds(1))
        #expect(ProcessModule.backoff(afterCrashes: 3) == .seconds(2))
        #expect(ProcessModule.backoff(afterCrashes: 7) == .seconds(30))
        #expect(ProcessModule.backoff(afterCrashes: 70) == .seconds(30))
    }

    @Test func convertsCodePointOffsetsToUTF8() {
        let offsets = ScalarOffsets(Array("aé«ق»".utf8))
        #expect((0...5).map(offsets.utf8Offset) == [0, 1, 3, 5, 7, 9])
        #expect(offsets.utf8Offset(8) == 12)  // past the end stays past the end, for the pipeline to refuse
        #expect(offsets.utf8Offset(-1) == -1)
    }
}
