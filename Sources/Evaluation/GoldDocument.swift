import AnnotationModel

/// One span to score, from a gold file or from a prediction. Offsets are UTF-8 bytes of the
/// document's text, as everywhere inside Scholia: every reader converts the unit its format counts
/// in (code points for brat, any of the three for Scholia JSON) once, at load time.
///
/// `fragments` holds the pieces of a discontinuous span (brat `0 5;10 15`), sorted and
/// non-empty; a contiguous span has exactly one. Matching uses both: exact match compares the
/// whole extent (`range`, first start to last end), overlap match counts only the characters that
/// fall inside the fragments, so a prediction over the gap between two pieces gains nothing.
public struct LabeledSpan: Sendable, Hashable {
    public var kind: AnnotationKind
    public var fragments: [Range<Int>]
    public var text: String
    public var attributes: [String: AttributeValue]
    /// Where the span was read ("file.ann:12"), for error examples; nil for predictions.
    public var origin: String?
    /// For a quote: the fragments of the source its speaker link names; nil when it names none.
    public var speaker: [Range<Int>]? = nil

    public init(
        kind: AnnotationKind, fragments: [Range<Int>], text: String,
        attributes: [String: AttributeValue] = [:], origin: String? = nil
    ) {
        precondition(!fragments.isEmpty, "a span has at least one fragment")
        self.kind = kind
        self.fragments = fragments.sorted { $0.lowerBound < $1.lowerBound }
        self.text = text
        self.attributes = attributes
        self.origin = origin
    }

    public init(kind: AnnotationKind, range: Range<Int>, text: String, attributes: [String: AttributeValue] = [:], origin: String? = nil) {
        self.init(kind: kind, fragments: [range], text: text, attributes: attributes, origin: origin)
    }

    /// A pipeline annotation as a span to score (its links unresolved: see `spans(of:)`).
    public init(_ annotation: Annotation) {
        self.init(kind: annotation.kind, range: annotation.range, text: annotation.text, attributes: annotation.attributes)
    }

    /// A pipeline result as spans to score, each quote with the span its `speaker` link names.
    public static func spans(of annotations: [Annotation]) -> [LabeledSpan] {
        var rangeByID: [String: Range<Int>] = [:]
        for annotation in annotations where annotation.kind == .source { rangeByID[annotation.id] = annotation.range }
        return annotations.map { annotation in
            var span = LabeledSpan(annotation)
            if annotation.kind == .quote, let target = annotation.link(AnnotationLink.speaker), let range = rangeByID[target] {
                span.speaker = [range]
            }
            return span
        }
    }

    /// Whether the two speakers share a byte (fragments only).
    static func sameSpeaker(_ a: [Range<Int>], _ b: [Range<Int>]) -> Bool {
        a.contains { x in b.contains { y in x.overlaps(y) } }
    }

    /// The extent: from the first fragment's start to the last fragment's end.
    public var range: Range<Int> { fragments[0].lowerBound..<fragments[fragments.count - 1].upperBound }

    /// Characters (bytes) covered by the fragments.
    public var length: Int { fragments.reduce(0) { $0 + $1.count } }

    /// Bytes the two spans have in common, counting fragments only (never the gaps between them).
    public func overlap(with other: LabeledSpan) -> Int {
        guard range.overlaps(other.range) else { return 0 }
        var total = 0
        for a in fragments {
            for b in other.fragments {
                let low = max(a.lowerBound, b.lowerBound)
                let high = min(a.upperBound, b.upperBound)
                if high > low { total += high - low }
            }
        }
        return total
    }
}

/// A text with its gold spans, as one of the readers produced it.
public struct GoldDocument: Sendable {
    /// A name for reports: the gold file (or `file#DocID` for one of many documents in a file).
    public var id: String
    /// The file the text was read from, when it came from a file of its own; predictions made by
    /// `scholia annotate` name that path, and are matched to the document through it.
    public var textPath: String?
    public var text: String
    /// The language the gold file states, if it states one (the CLI detects it otherwise).
    public var language: Language?
    public var spans: [LabeledSpan]

    public init(id: String, textPath: String? = nil, text: String, language: Language? = nil, spans: [LabeledSpan]) {
        self.id = id
        self.textPath = textPath
        self.text = text
        self.language = language
        self.spans = spans
    }

    /// Gold spans per kind.
    public var counts: [AnnotationKind: Int] {
        spans.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }
}

/// Why a gold (or predictions) file was refused: one line, `file:line: message` when the line is known.
public struct GoldError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// The text of a UTF-8 range (the readers only make ranges on character boundaries).
func substring(_ utf8: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: utf8[range], as: UTF8.self)
}
