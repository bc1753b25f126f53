import Foundation
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// `scholia new-module` writes skeletons whose own tests pass under `scholia test-module`.
@Suite("new-module and test-module")
struct NewModuleTests {
    @Test(arguments: ["rules", "process"])
    func aNewModulePassesItsOwnTests(kind: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let created = try CLIRun(["new-module", "my-\(kind)", "--type", kind, "--directory", scratch.url.path])
        #expect(created.status == 0, "\(created.stderr)")
        let tested = try CLIRun(["test-module", scratch.url.path + "/my-\(kind)"])
        #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
        #expect(tested.stdout.contains("my-\(kind): \(kind == "rules" ? 2 : 3) tests, 0 failures"))
        let listed = try CLIRun(["modules", "--module-path", scratch.url.path])
        #expect(listed.stdout.contains("my-\(kind) 0.1.0  [loaded, \(scratch.url.path)/my-\(kind)]"))
    }

    @Test func aNewNativeModuleBuildsAndPassesItsOwnTests() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try CLIRun(["new-module", "my-native", "--type", "native", "--directory", scratch.url.path]).status == 0)
        let folder = scratch.url.path + "/my-native"
        // The skeleton carries its own copy of the ABI header; it must be the package's.
        let header = try String(contentsOfFile: root + "/Sources/ScholiaModuleABI/include/scholia_module.h", encoding: .utf8)
        #expect(try String(contentsOfFile: folder + "/scholia_module.h", encoding: .utf8) == header)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/make"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/cc") else { return }
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        make.arguments = ["-s", "-C", folder]
        try make.run()
        make.waitUntilExit()
        try #require(make.terminationStatus == 0)
        let tested = try CLIRun(["test-module", folder])
        #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
        #expect(tested.stdout.contains("my-native: 3 tests, 0 failures"))
    }

    @Test func theExamplesPassTheirTests() throws {
        for example in ["rules-loaded-words", "python-loaded-words"] {
            let run = try CLIRun(["test-module", root + "/Plugins/examples/" + example])
            #expect(run.status == 0, "\(example): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("0 failures"))
        }
    }

    @Test func aFailingTestFailsTheCommand() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try CLIRun(["new-module", "strict", "--type", "rules", "--directory", scratch.url.path])
        let pack = scratch.url.path + "/strict/strict.en.json"
        let text = try String(contentsOfFile: pack, encoding: .utf8)
        try text.replacingOccurrences(of: #""reject": ["approved"]"#, with: #""expect": [{"text": "approved"}]"#)
            .write(toFile: pack, atomically: true, encoding: .utf8)
        let run = try CLIRun(["test-module", scratch.url.path + "/strict"])
        #expect(run.status == 1)
        #expect(run.stdout.contains(#"FAIL strict: "The plan was approved.": expected an annotation "approved"; got nothing"#))
        #expect(run.stdout.contains("strict: 2 tests, 1 failure"))
    }

    @Test func badNamesAndManifestsAreOneLineErrors() throws {
        let bad = try CLIRun(["new-module", "Bad Name"])
        #expect(bad.status != 0)
        #expect(bad.stderrLines.count == 1)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let missing = try CLIRun(["test-module", scratch.url.path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "scholia: \(scratch.url.path)/module.json: cannot be read\n")
    }
}
