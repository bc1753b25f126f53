import AnnotationModel
import Foundation

/// Marks every occurrence of some words with a kind: a module whose output a test can predict
/// exactly, so server tests do not depend on the real modules' judgement.
public struct KeywordAnnotator: Annotator {
    public let descriptor: ModuleDescriptor
    let words: [String]
    let kind: AnnotationKind

    public init(name: String = "keywords", words: [String], kind: AnnotationKind = .hedge,
                severity: AnnotationSeverity = .hint, languages: [Language] = ["en", "ar"]) {
        descriptor = ModuleDescriptor(
            name: name, version: "1.0.0", description: "marks fixed words (tests)",
            kinds: [KindDescriptor(kind: kind, defaultSeverity: severity)], languages: languages, scope: .paragraph)
        self.words = words
        self.kind = kind
    }

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        var result: [Annotation] = []
        let bytes = request.utf8
        for word in words {
            let needle = Array(word.utf8)
            guard !needle.isEmpty, needle.count <= bytes.count else { continue }
            var i = 0
            while i + needle.count <= bytes.count {
                if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                    result.append(Annotation(
                        module: descriptor.name, kind: kind, range: i..<(i + needle.count), text: word,
                        attributes: ["category": "test"]))
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        return result
    }
}

/// Works until cancelled (or a long time passes), to test `$/cancelRequest` and stale results.
public struct SlowAnnotator: Annotator {
    public let descriptor = ModuleDescriptor(
        name: "slow", version: "1.0.0", description: "waits until cancelled (tests)",
        kinds: [KindDescriptor(kind: .hedge)], languages: [])

    public init() {}

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        let deadline = Date().addingTimeInterval(20)
        while !request.isCancelled() && Date() < deadline { usleep(1000) }
        return []
    }
}

/// Always fails.
public struct FailingAnnotator: Annotator {
    public let descriptor = ModuleDescriptor(
        name: "failing", version: "1.0.0", description: "always throws (tests)",
        kinds: [KindDescriptor(kind: .hedge)], languages: [])

    public init() {}

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        throw AnnotatorError("this module always fails")
    }
}
