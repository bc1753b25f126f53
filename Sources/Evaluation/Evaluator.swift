import AnnotationModel

/// True positives, gold and predicted counts of one kind (or of all kinds together), and the
/// figures made from them.
///
/// Empty cases follow one convention, the "nothing claimed, nothing wrong" one (scikit-learn's
/// `zero_division=1`): precision is 1 when nothing was predicted, recall is 1 when there was nothing
/// to find. So an annotator that predicts nothing on a text with gold spans gets P=1, R=0, F1=0; one
/// that predicts spans where the gold has none gets P=0, R=1, F1=0; both empty is P=R=F1=1. F1 is 0
/// whenever precision and recall are both 0. This keeps every figure defined (no NaN in reports)
/// without rewarding either silence or noise: F1 is 0 in both one-sided cases.
public struct Counts: Sendable, Hashable {
    public var gold: Int
    public var predicted: Int
    public var truePositives: Int

    public init(gold: Int = 0, predicted: Int = 0, truePositives: Int = 0) {
        self.gold = gold
        self.predicted = predicted
        self.truePositives = truePositives
    }

    public var falsePositives: Int { predicted - truePositives }
    public var falseNegatives: Int { gold - truePositives }

    public var precision: Double { predicted == 0 ? 1 : Double(truePositives) / Double(predicted) }
    public var recall: Double { gold == 0 ? 1 : Double(truePositives) / Double(gold) }
    public var f1: Double {
        let p = precision
        let r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    public static func + (lhs: Counts, rhs: Counts) -> Counts {
        Counts(gold: lhs.gold + rhs.gold, predicted: lhs.predicted + rhs.predicted, truePositives: lhs.truePositives + rhs.truePositives)
    }
}

/// A span the annotator got wrong, and how often that surface text went wrong.
public struct ErrorEntry: Sendable, Hashable {
    public var kind: AnnotationKind
    /// The normalized surface text (see `Evaluator.normalize`).
    public var text: String
    public var count: Int
    public var examples: [ErrorExample]

    public init(kind: AnnotationKind, text: String, count: Int, examples: [ErrorExample]) {
        self.kind = kind
        self.text = text
        self.count = count
        self.examples = examples
    }
}

public struct ErrorExample: Sendable, Hashable {
    public var document: String
    /// The span in its sentence: up to 40 characters either side, the span in `⟦…⟧`, line breaks as spaces.
    public var context: String

    public init(document: String, context: String) {
        self.document = document
        self.context = context
    }
}

/// Quote → speaker links, over the quotes the overlap match pairs with a gold quote (a quote not
/// found at all is a quote miss, not a link error).
public struct SpeakerLinkCounts: Sendable, Hashable {
    /// Paired gold quotes whose gold names a speaker.
    public var gold: Int
    /// ... whose predicted speaker shares a byte with the gold one.
    public var right: Int
    /// ... whose predicted speaker is another span.
    public var wrong: Int
    /// ... with no predicted speaker.
    public var missing: Int
    /// Predicted speakers on paired quotes whose gold names none.
    public var extra: Int

    public init(gold: Int = 0, right: Int = 0, wrong: Int = 0, missing: Int = 0, extra: Int = 0) {
        self.gold = gold
        self.right = right
        self.wrong = wrong
        self.missing = missing
        self.extra = extra
    }

    /// Right links among the gold ones (1 when the gold has none).
    public var accuracy: Double { gold == 0 ? 1 : Double(right) / Double(gold) }
    /// Right links among the predicted ones (1 when none was predicted).
    public var precision: Double {
        let predicted = right + wrong + extra
        return predicted == 0 ? 1 : Double(right) / Double(predicted)
    }
}

/// The scores of one match mode.
public struct ModeReport: Sendable {
    public var mode: MatchMode
    public var perKind: [AnnotationKind: Counts]
    /// All evaluated kinds pooled.
    public var micro: Counts
    /// Mean F1 over the evaluated kinds that have gold spans; nil when none has.
    public var macroF1: Double?
    /// Most frequent false negatives (gold spans nothing found), most frequent first.
    public var topMisses: [ErrorEntry]
    /// Most frequent false positives (predictions that match no gold span), most frequent first.
    public var topFalseHits: [ErrorEntry]
}

public struct EvaluationReport: Sendable {
    public var documents: Int
    /// The kinds scored, in name order.
    public var kinds: [AnnotationKind]
    public var goldCounts: [AnnotationKind: Int]
    public var predictedCounts: [AnnotationKind: Int]
    public var modes: [ModeReport]
    /// Quote → speaker links; nil unless quotes are scored and some gold quote names a speaker.
    public var speakerLinks: SpeakerLinkCounts?

    public func mode(_ mode: MatchMode) -> ModeReport? { modes.first { $0.mode == mode } }
}

/// Accumulates documents and their predictions, then reports per-kind and pooled scores for each
/// match mode, with the most frequent errors.
///
/// Which kinds are scored: the ones asked for (`kinds`), or, when none are, the kinds that occur in
/// the gold. Predictions of other kinds are ignored rather than counted as false positives, because
/// a corpus that marks only hedges says nothing about the sources an annotator finds in it.
public struct Evaluator: Sendable {
    public var kinds: Set<AnnotationKind>?
    public var modes: [MatchMode]
    /// How many entries the miss and false-hit lists keep.
    public var top: Int
    /// Examples kept per error entry.
    public var examplesPerEntry: Int

    private var documentCount = 0
    private var counts: [MatchMode: [AnnotationKind: Counts]] = [:]
    private var misses: [MatchMode: [ErrorKey: Tally]] = [:]
    private var falseHits: [MatchMode: [ErrorKey: Tally]] = [:]
    private var goldCounts: [AnnotationKind: Int] = [:]
    private var predictedCounts: [AnnotationKind: Int] = [:]
    private var speakerLinks = SpeakerLinkCounts()
    private var goldSpeakers = 0

    struct ErrorKey: Hashable, Sendable {
        var kind: AnnotationKind
        var text: String
    }

    struct Tally: Sendable {
        var count = 0
        var firstSeen = 0
        var examples: [ErrorExample] = []
    }

    private var errorSequence = 0

    public init(kinds: Set<AnnotationKind>? = nil, modes: [MatchMode] = [.exact, .overlap], top: Int = 10, examplesPerEntry: Int = 2) {
        self.kinds = kinds
        self.modes = modes
        self.top = top
        self.examplesPerEntry = examplesPerEntry
    }

    /// Scores one document against what the annotator predicted for it.
    public mutating func add(_ document: GoldDocument, predictions: [LabeledSpan]) {
        documentCount += 1
        let utf8 = Array(document.text.utf8)
        var goldByKind: [AnnotationKind: [LabeledSpan]] = [:]
        var predictedByKind: [AnnotationKind: [LabeledSpan]] = [:]
        for span in document.spans where kinds?.contains(span.kind) ?? true { goldByKind[span.kind, default: []].append(span) }
        for span in predictions where kinds?.contains(span.kind) ?? true { predictedByKind[span.kind, default: []].append(span) }
        for (kind, spans) in goldByKind { goldCounts[kind, default: 0] += spans.count }
        for (kind, spans) in predictedByKind { predictedCounts[kind, default: 0] += spans.count }

        if let gold = goldByKind[.quote] {
            let predicted = predictedByKind[.quote] ?? []
            goldSpeakers += gold.count { $0.speaker != nil }
            for pair in Matcher.match(gold: gold, predicted: predicted, mode: .overlap) {
                switch (gold[pair.gold].speaker, predicted[pair.predicted].speaker) {
                case (let expected?, let found?):
                    speakerLinks.gold += 1
                    if LabeledSpan.sameSpeaker(expected, found) { speakerLinks.right += 1 } else { speakerLinks.wrong += 1 }
                case (_?, nil):
                    speakerLinks.gold += 1
                    speakerLinks.missing += 1
                case (nil, _?):
                    speakerLinks.extra += 1
                case (nil, nil):
                    break
                }
            }
        }
        for kind in Set(goldByKind.keys).union(predictedByKind.keys) {
            let gold = goldByKind[kind] ?? []
            let predicted = predictedByKind[kind] ?? []
            for mode in modes {
                let pairs = Matcher.match(gold: gold, predicted: predicted, mode: mode)
                let added = Counts(gold: gold.count, predicted: predicted.count, truePositives: pairs.count)
                counts[mode, default: [:]][kind] = (counts[mode]?[kind] ?? Counts()) + added
                let matchedGold = Set(pairs.map(\.gold))
                let matchedPredicted = Set(pairs.map(\.predicted))
                for (index, span) in gold.enumerated() where !matchedGold.contains(index) {
                    Self.record(span, in: &misses[mode, default: [:]], sequence: &errorSequence, limit: examplesPerEntry, document: document.id, utf8: utf8)
                }
                for (index, span) in predicted.enumerated() where !matchedPredicted.contains(index) {
                    Self.record(span, in: &falseHits[mode, default: [:]], sequence: &errorSequence, limit: examplesPerEntry, document: document.id, utf8: utf8)
                }
            }
        }
    }

    private static func record(
        _ span: LabeledSpan, in tallies: inout [ErrorKey: Tally], sequence: inout Int, limit: Int, document: String, utf8: [UInt8]
    ) {
        let key = ErrorKey(kind: span.kind, text: Self.normalize(span.text))
        var tally = tallies[key] ?? Tally(firstSeen: sequence)
        sequence += 1
        tally.count += 1
        if tally.examples.count < limit {
            tally.examples.append(ErrorExample(document: document, context: Self.context(of: span.range, in: utf8)))
        }
        tallies[key] = tally
    }

    public func report() -> EvaluationReport {
        let scored = (kinds ?? Set(goldCounts.keys)).sorted()
        let scoredSet = Set(scored)
        var modeReports: [ModeReport] = []
        for mode in modes {
            var perKind: [AnnotationKind: Counts] = [:]
            for kind in scored { perKind[kind] = counts[mode]?[kind] ?? Counts() }
            let micro = perKind.values.reduce(Counts(), +)
            let withGold = scored.filter { (goldCounts[$0] ?? 0) > 0 }
            let macro = withGold.isEmpty ? nil : withGold.map { perKind[$0]!.f1 }.reduce(0, +) / Double(withGold.count)
            modeReports.append(ModeReport(
                mode: mode, perKind: perKind, micro: micro, macroF1: macro,
                topMisses: entries(misses[mode] ?? [:], kinds: scoredSet),
                topFalseHits: entries(falseHits[mode] ?? [:], kinds: scoredSet)))
        }
        return EvaluationReport(
            documents: documentCount, kinds: scored,
            goldCounts: goldCounts.filter { scoredSet.contains($0.key) },
            predictedCounts: predictedCounts.filter { scoredSet.contains($0.key) },
            modes: modeReports,
            speakerLinks: scoredSet.contains(.quote) && goldSpeakers > 0 ? speakerLinks : nil)
    }

    /// Most frequent first; among equals, the one met first in the documents (stable across runs).
    private func entries(_ tallies: [ErrorKey: Tally], kinds: Set<AnnotationKind>) -> [ErrorEntry] {
        tallies.filter { kinds.contains($0.key.kind) }
            .sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.value.firstSeen < $1.value.firstSeen }
            .prefix(top)
            .map { ErrorEntry(kind: $0.key.kind, text: $0.key.text, count: $0.value.count, examples: $0.value.examples) }
    }

    // MARK: Surface text

    /// The form errors are grouped by: lowercased, white space runs made one space, trimmed, and
    /// Arabic short vowels and tatweel removed (`يُعتقد` and `يعتقد` are one cue to a reader).
    public static func normalize(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if (0x064B...0x0652).contains(scalar.value) || scalar.value == 0x0640 || scalar.value == 0x0670 { continue }
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Up to `width` characters either side of the span, the span in `⟦…⟧`, line breaks flattened.
    public static func context(of range: Range<Int>, in utf8: [UInt8], width: Int = 40) -> String {
        // Read a few bytes per character of margin: Arabic takes two, CJK three, emoji four.
        var start = max(0, range.lowerBound - (width + 1) * 4)
        while start < range.lowerBound && utf8[start] & 0xC0 == 0x80 { start += 1 }
        let before = String(decoding: utf8[start..<range.lowerBound], as: UTF8.self)
        let after = String(decoding: utf8[range.upperBound..<min(utf8.count, range.upperBound + (width + 1) * 4)], as: UTF8.self)
        let span = String(decoding: utf8[range], as: UTF8.self)
        func flat(_ s: some StringProtocol) -> String {
            String(s.map { $0.isNewline ? " " : $0 })
        }
        let left = before.count > width ? "…" + flat(before.suffix(width)) : flat(before)
        let right = after.count > width ? flat(after.prefix(width)) + "…" : flat(after)
        return "\(left)⟦\(flat(span))⟧\(right)"
    }
}
