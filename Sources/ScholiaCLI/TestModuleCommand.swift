import AnnotationModel
import ArgumentParser
import Foundation
import JSON
import ModuleHost
import RulePacks

/// `scholia test-module PATH`: loads one module as the server would and runs its tests.
///
/// A rules module runs the `tests` written inside its packs. A process or native module runs the
/// `tests` of its module.json (same shape: `{"text", "language"?, "expect": [{"text", "kind"?}], "reject"?}`),
/// after a smoke test: it must start, describe itself and annotate a sample text in each of its
/// languages without failing or returning spans the pipeline refuses.
struct TestModuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-module",
        abstract: "Load a custom module (a folder with module.json) and run its tests.")

    @Argument(help: "The module's folder or its module.json.")
    var path: String

    static let samples: [Language: String] = [
        .english: #"The minister said: "We will probably return tomorrow," according to officials."#,
        .arabic: "قال الوزير: «ربما نعود غدًا»، بحسب مصادر مطلعة.",
    ]

    func run() throws {
        let absolute = ModuleOptions.absolute(path)
        let manifestPath = absolute.hasSuffix(".json") ? absolute : absolute + "/module.json"
        let manifest: ModuleManifest
        do { manifest = try ModuleLoader.readManifest(manifestPath) } catch {
            reportError("\(error)")
            throw ExitCode(1)
        }
        let events = ModuleEvents()
        let problems = LogBuffer()
        events.setHandlers(log: { problems.add($0) }, alert: { _, _ in })
        let module = ModuleLoader(events: events).load(manifest, origin: .directory(manifest.directory))
        defer { (module.annotator as? any SupervisedModule)?.shutdown() }
        guard let annotator = module.annotator, module.status == .loaded else {
            reportError("\(manifest.descriptor.name): cannot be loaded: \(module.lastError ?? "unknown error")")
            throw ExitCode(1)
        }
        let pipeline = AnnotationPipeline(annotators: [annotator])
        var failures: [String] = []
        var count = 0

        switch manifest.implementation {
        case .rules(let paths):
            var packs: [RulePack] = []
            for path in paths {
                let data = FileManager.default.contents(atPath: path) ?? Data()
                do { packs.append(try RulePack.load(bytes: Array(data), path: path)) } catch {
                    failures.append("\(error)")
                }
            }
            let outcome = RulePackTests.run(packs, pipeline: pipeline)
            count += outcome.count
            failures += outcome.failures.map(\.description)
        case .command, .library:
            let languages = manifest.descriptor.languages.isEmpty ? [Language.english, .arabic] : manifest.descriptor.languages
            for language in languages {
                let text = Self.samples[language] ?? Self.samples[.english]!
                count += 1
                let result = pipeline.run(text: text, language: language)
                failures += result.failures.map { "smoke test (\(language)): the module failed: \($0.message)" }
                failures += result.dropped.map { "smoke test (\(language)): an annotation was refused: \($0.reason)" }
                if result.failures.isEmpty {
                    print("smoke test (\(language)): \(result.annotations.count) annotation\(result.annotations.count == 1 ? "" : "s")")
                }
            }
            let tests = try Self.manifestTests(manifestPath)
            for test in tests {
                count += 1
                failures += Self.check(test, pipeline: pipeline, module: manifest.descriptor.name)
            }
        }
        failures += problems.lines.map { "logged: \($0)" }
        for failure in failures { print("FAIL \(failure)") }
        print("\(manifest.descriptor.name): \(count) test\(count == 1 ? "" : "s"), \(failures.count) failure\(failures.count == 1 ? "" : "s")")
        if !failures.isEmpty { throw ExitCode(1) }
    }

    struct ManifestTest {
        var text: String
        var language: Language
        var expect: [(text: String, kind: String?)]
        var reject: [String]
    }

    /// The `tests` of a process or native module's manifest.
    static func manifestTests(_ path: String) throws -> [ManifestTest] {
        let json = try JSONParser().parse(Array(FileManager.default.contents(atPath: path) ?? Data()))
        guard let tests = json["tests"] else { return [] }
        guard let array = tests.arrayValue else { throw ValidationError("\(path): tests: expected an array") }
        return try array.enumerated().map { index, test in
            guard let text = test["text"]?.stringValue else { throw ValidationError("\(path): tests[\(index)].text: missing") }
            let language = test["language"]?.stringValue.map { Language(rawValue: $0) } ?? .english
            let expect = (test["expect"]?.arrayValue ?? []).compactMap { item -> (text: String, kind: String?)? in
                item["text"]?.stringValue.map { ($0, item["kind"]?.stringValue) }
            }
            let reject = (test["reject"]?.arrayValue ?? []).compactMap(\.stringValue)
            return ManifestTest(text: text, language: language, expect: expect, reject: reject)
        }
    }

    static func check(_ test: ManifestTest, pipeline: AnnotationPipeline, module: String) -> [String] {
        let result = pipeline.run(text: test.text, language: test.language)
        var failures = result.failures.map { "\(test.text.debugDescription): the module failed: \($0.message)" }
        let found = result.annotations
        for expected in test.expect where !found.contains(where: { $0.text == expected.text && (expected.kind == nil || $0.kind.rawValue == expected.kind) }) {
            let got = found.map { "\($0.kind.rawValue) \"\($0.text)\"" }
            failures.append("\(test.text.debugDescription): expected \(expected.kind ?? "an annotation") \"\(expected.text)\"; got \(got.isEmpty ? "nothing" : got.joined(separator: ", "))")
        }
        for rejected in test.reject where found.contains(where: { $0.text == rejected }) {
            failures.append("\(test.text.debugDescription): \"\(rejected)\" must not be annotated")
        }
        return failures
    }
}

final class LogBuffer: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
