import AnnotationModel
import Evaluation
import JSON
import Testing

func span(_ kind: AnnotationKind, _ range: Range<Int>, _ text: String = "") -> LabeledSpan {
    LabeledSpan(kind: kind, range: range, text: text)
}

@Suite struct MatcherTests {
    @Test func widePredictionOverTwoGoldSpansCountsOnce() {
        let gold = [span(.quote, 0..<10), span(.quote, 12..<20)]
        let predicted = [span(.quote, 0..<20)]
        let pairs = Matcher.match(gold: gold, predicted: predicted, mode: .overlap)
        #expect(pairs.count == 1)
        // The larger overlap wins: 10 bytes with the first, 8 with the second.
        #expect(pairs.first?.gold == 0)
    }

    @Test func twoPredictionsInOneGoldSpanCountOnce() {
        let pairs = Matcher.match(gold: [span(.source, 0..<20)], predicted: [span(.source, 0..<5), span(.source, 8..<18)], mode: .overlap)
        #expect(pairs.count == 1)
        #expect(pairs.first?.predicted == 1)
    }

    @Test func greedyLargestOverlapFirst() {
        // p0 overlaps g0 by 2 and g1 by 8; p1 overlaps g1 by 3. Largest first: p0–g1, then p1 has nothing left.
        let gold = [span(.cue, 0..<10), span(.cue, 10..<20)]
        let predicted = [span(.cue, 8..<18), span(.cue, 17..<25)]
        let pairs = Matcher.match(gold: gold, predicted: predicted, mode: .overlap)
        #expect(pairs.map { [$0.gold, $0.predicted] } == [[1, 0]])
    }

    @Test func exactNeedsTheSameExtent() {
        let gold = [span(.cue, 0..<4), span(.cue, 10..<14), span(.cue, 10..<14)]
        let predicted = [span(.cue, 0..<4), span(.cue, 10..<13), span(.cue, 10..<14), span(.cue, 10..<14), span(.cue, 10..<14)]
        #expect(Matcher.match(gold: gold, predicted: predicted, mode: .exact).count == 3)
        #expect(Matcher.match(gold: gold, predicted: predicted, mode: .overlap).count == 3)
    }

    @Test func fragmentsOnlyCountTheirOwnCharacters() {
        let discontinuous = LabeledSpan(kind: .source, fragments: [0..<5, 20..<25], text: "")
        #expect(discontinuous.overlap(with: span(.source, 6..<19)) == 0)
        #expect(discontinuous.overlap(with: span(.source, 3..<22)) == 4)
        #expect(Matcher.match(gold: [discontinuous], predicted: [span(.source, 6..<19)], mode: .overlap).isEmpty)
        // Exact compares the extent.
        #expect(Matcher.match(gold: [discontinuous], predicted: [span(.source, 0..<25)], mode: .exact).count == 1)
    }

    @Test func adjacentSpansDoNotOverlap() {
        #expect(Matcher.match(gold: [span(.cue, 0..<5)], predicted: [span(.cue, 5..<9)], mode: .overlap).isEmpty)
    }
}

@Suite struct EvaluatorTests {
    static let text = "Officials said the plan may work, “we think,” Reuters reported."

    func document(_ spans: [LabeledSpan]) -> GoldDocument {
        GoldDocument(id: "d", text: Self.text, spans: spans)
    }

    @Test func exactVersusOverlap() throws {
        let gold = document([span(.source, 0..<9, "Officials"), span(.cue, 10..<14, "said"), span(.hedge, 24..<27, "may")])
        var evaluator = Evaluator()
        evaluator.add(gold, predictions: [span(.source, 0..<14, "Officials said"), span(.cue, 10..<14, "said"), span(.hedge, 40..<45)])
        let report = evaluator.report()
        let exact = try #require(report.mode(.exact))
        let overlap = try #require(report.mode(.overlap))
        #expect(exact.perKind[.source] == Counts(gold: 1, predicted: 1, truePositives: 0))
        #expect(overlap.perKind[.source] == Counts(gold: 1, predicted: 1, truePositives: 1))
        #expect(exact.perKind[.cue]?.f1 == 1)
        #expect(exact.micro == Counts(gold: 3, predicted: 3, truePositives: 1))
        #expect(overlap.micro == Counts(gold: 3, predicted: 3, truePositives: 2))
        #expect(report.kinds == [.cue, .hedge, .source])
    }

    @Test func macroF1AveragesKindsWithGold() throws {
        // cue: P=1 R=1/2 → F1=2/3; source: F1=1; quote is asked for but has no gold: it is listed, not averaged.
        let gold = document([span(.cue, 10..<14), span(.cue, 54..<62), span(.source, 46..<53)])
        var evaluator = Evaluator(kinds: [.cue, .source, .quote], modes: [.exact])
        evaluator.add(gold, predictions: [span(.cue, 10..<14), span(.source, 46..<53)])
        let mode = try #require(evaluator.report().mode(.exact))
        #expect(abs(mode.perKind[.cue]!.f1 - 2.0 / 3.0) < 1e-12)
        #expect(abs(mode.macroF1! - (2.0 / 3.0 + 1) / 2) < 1e-12)
        #expect(mode.perKind[.quote] == Counts())
        #expect(abs(mode.micro.f1 - 0.8) < 1e-12)
    }

    @Test func kindsDefaultToThoseInGold() throws {
        var evaluator = Evaluator(modes: [.overlap])
        evaluator.add(document([span(.hedge, 24..<27, "may")]), predictions: [span(.hedge, 24..<27), span(.quote, 34..<45)])
        let report = evaluator.report()
        #expect(report.kinds == [.hedge])
        #expect(report.mode(.overlap)?.micro == Counts(gold: 1, predicted: 1, truePositives: 1))
        #expect(report.predictedCounts[.quote] == nil)
    }

    @Test func emptyCases() throws {
        #expect(Counts().precision == 1 && Counts().recall == 1 && Counts().f1 == 1)
        let silent = Counts(gold: 4, predicted: 0, truePositives: 0)
        #expect(silent.precision == 1 && silent.recall == 0 && silent.f1 == 0)
        let noisy = Counts(gold: 0, predicted: 3, truePositives: 0)
        #expect(noisy.precision == 0 && noisy.recall == 1 && noisy.f1 == 0)
        let wrong = Counts(gold: 2, predicted: 2, truePositives: 0)
        #expect(wrong.f1 == 0)

        var nothing = Evaluator()
        nothing.add(document([]), predictions: [])
        let report = nothing.report()
        #expect(report.kinds.isEmpty)
        #expect(report.mode(.exact)?.macroF1 == nil)
        #expect(report.mode(.exact)?.micro == Counts())

        var noGold = Evaluator(kinds: [.hedge])
        noGold.add(document([]), predictions: [span(.hedge, 24..<27)])
        let noGoldMode = try #require(noGold.report().mode(.overlap))
        #expect(noGoldMode.perKind[.hedge] == Counts(gold: 0, predicted: 1, truePositives: 0))
        #expect(noGoldMode.macroF1 == nil)
    }

    @Test func topMissesAndFalseHitsByNormalizedText() throws {
        var evaluator = Evaluator(modes: [.exact], top: 2, examplesPerEntry: 1)
        for _ in 0..<3 {
            evaluator.add(document([span(.cue, 10..<14, "said"), span(.source, 46..<53, "Reuters")]),
                          predictions: [span(.hedge, 24..<27, "may")])
        }
        evaluator.add(GoldDocument(id: "e", text: "SAID  it", spans: [span(.cue, 0..<4, "SAID")]), predictions: [])
        let mode = try #require(evaluator.report().mode(.exact))
        #expect(mode.topMisses.map(\.text) == ["said", "reuters"])
        #expect(mode.topMisses.map(\.count) == [4, 3])
        #expect(mode.topMisses[0].examples == [ErrorExample(document: "d", context: "Officials ⟦said⟧ the plan may work, “we think,” Reuters …")])
        // hedge is not in the gold, so hedge predictions are not false hits.
        #expect(mode.topFalseHits.isEmpty)
    }

    @Test func normalization() {
        #expect(Evaluator.normalize("  Said\n to  ") == "said to")
        #expect(Evaluator.normalize("يُعتقد") == Evaluator.normalize("يعتقد"))
    }

    @Test func contextKeepsCharactersWhole() {
        let text = String(repeating: "😀", count: 50) + "x" + String(repeating: "ق", count: 50)
        let utf8 = Array(text.utf8)
        let context = Evaluator.context(of: 200..<201, in: utf8)
        #expect(context == "…" + String(repeating: "😀", count: 40) + "⟦x⟧" + String(repeating: "ق", count: 40) + "…")
    }
}

@Suite struct ReportRendererTests {
    func report() -> EvaluationReport {
        var evaluator = Evaluator(modes: [.exact, .overlap], top: 3)
        evaluator.add(GoldDocument(id: "d", text: "They said so.", spans: [span(.cue, 5..<9, "said"), span(.source, 0..<4, "They")]),
                      predictions: [span(.cue, 5..<9, "said"), span(.source, 0..<2, "Th")])
        return evaluator.report()
    }

    @Test func jsonReport() throws {
        let json = ReportRenderer.json(report(), extra: [("runtimeSeconds", .real(0.5))])
        // Through the project's codec and back.
        let parsed = try JSONValue.parse(json.serializedString())
        #expect(parsed["documents"] == .integer(1))
        #expect(parsed["goldCounts"]?["cue"] == .integer(1))
        #expect(parsed["modes"]?["exact"]?["perKind"]?["source"]?["f1"] == .real(0))
        #expect(parsed["modes"]?["overlap"]?["micro"]?["f1"] == .real(1))
        #expect(parsed["modes"]?["exact"]?["macroF1"] == .real(0.5))
        #expect(parsed["modes"]?["exact"]?["topMisses"]?.arrayValue?.first?["text"] == .string("they"))
        #expect(parsed["runtimeSeconds"] == .real(0.5))
    }

    @Test func textReport() {
        let text = ReportRenderer.text(report())
        #expect(text.contains("== exact match"))
        #expect(text.contains("== overlap match"))
        #expect(text.contains("  micro      2     2   1   1   1   50.0   50.0   50.0"))
        #expect(text.contains("macro-F1 (kinds with gold): 50.0"))
        #expect(text.contains("⟦They⟧ said so."))
    }
}
