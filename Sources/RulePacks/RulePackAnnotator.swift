import AnnotationModel
import TextEngine

/// A module made of rule packs alone (one per language): each lexicon match becomes an
/// annotation of the entry's kind, with `category` and the entry's attributes. This is what a
/// user's `rules` module is; the built-in modules use packs too but add their own logic.
public struct RulePackAnnotator: Annotator {
    public let descriptor: ModuleDescriptor
    let packs: [Language: RulePack]

    /// All packs must name the same module; the descriptor's languages are the packs' languages.
    public init(name: String, version: String, description: String, kinds: [KindDescriptor], packs: [RulePack]) {
        var byLanguage: [Language: RulePack] = [:]
        for pack in packs { byLanguage[pack.language] = pack }
        self.packs = byLanguage
        descriptor = ModuleDescriptor(
            name: name, version: version, description: description, kinds: kinds,
            languages: packs.map(\.language),
            // A match depends only on its sentence.
            scope: .paragraph)
    }

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        guard let pack = packs[request.language] else { return [] }
        let analyzed = request.analyzed
        return pack.matches(in: analyzed).map { match, kind in
            let entry = pack.lexicon.entries[match.entryIndex]
            var attributes: [String: AttributeValue] = ["category": .string(entry.category)]
            for (name, value) in entry.attributes { attributes[name] = .string(value) }
            return Annotation(
                module: descriptor.name, kind: kind, range: match.range,
                text: request.text(in: match.range), attributes: attributes)
        }
    }
}

/// Runs the tests written inside packs against an annotator (`scholia test-module`, and the
/// built-in modules' own test suites).
public enum RulePackTests {
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public var module: String
        public var text: String
        public var message: String
        public var description: String { "\(module): \(text.debugDescription): \(message)" }
    }

    /// Every pack test of `packs`, run through `pipeline` (so a module's own logic takes part).
    /// Returns the failures and the number of tests run.
    public static func run(_ packs: [RulePack], pipeline: AnnotationPipeline) -> (failures: [Failure], count: Int) {
        var failures: [Failure] = []
        var count = 0
        for pack in packs {
            for test in pack.tests {
                count += 1
                let result = pipeline.run(text: test.text, language: pack.language, modules: [pack.module])
                let found = result.annotations.filter { $0.module == pack.module }
                for failure in result.failures {
                    failures.append(Failure(module: pack.module, text: test.text, message: "module failed: \(failure.message)"))
                }
                for expected in test.expect {
                    let hit = found.contains { annotation in
                        annotation.text == expected.text
                            && (expected.kind == nil || annotation.kind == expected.kind)
                            && (expected.category == nil || annotation.attributes["category"]?.stringValue == expected.category)
                    }
                    if !hit {
                        let got = found.map { "\($0.kind.rawValue) \"\($0.text)\"\($0.attributes["category"].map { " (\($0))" } ?? "")" }
                        failures.append(Failure(
                            module: pack.module, text: test.text,
                            message: "expected \(expected.kind?.rawValue ?? "an annotation") \"\(expected.text)\""
                                + (expected.category.map { " (\($0))" } ?? "") + "; got \(got.isEmpty ? "nothing" : got.joined(separator: ", "))"))
                    }
                }
                for rejected in test.reject where found.contains(where: { $0.text == rejected }) {
                    failures.append(Failure(module: pack.module, text: test.text, message: "\"\(rejected)\" must not be annotated"))
                }
            }
        }
        return (failures, count)
    }
}
