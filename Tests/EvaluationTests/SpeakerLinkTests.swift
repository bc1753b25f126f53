import AnnotationModel
import Evaluation
import Testing

/// Quote → speaker links, read from each gold format and from predictions, and scored on the
/// quotes the overlap match pairs up.
@Suite struct SpeakerLinkTests {
    @Test func bratTakesTheSpeakerFromTheAttributionEvent() throws {
        // `The 🇺🇳 envoy said "maybe" twice.`: the content holds the quotation, the event names its source.
        let ann = """
            T1\tSource 40 45\tenvoy
            T2\tCue 46 50\tsaid
            T3\tContent 51 58\t"maybe"
            T4\tAttribution 46 50\tsaid
            E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
            T5\tContent 14 25\t«ربما نفوز»
            """
        let document = try BratReader().read(annotations: ann, text: mixedText, annPath: "s.ann")
        let quotes = document.spans.filter { $0.kind == .quote }
        #expect(quotes.map(\.text) == ["\"maybe\"", "«ربما نفوز»"])
        #expect(quotes[0].speaker == [74..<79])
        // No event names a source for the second: the gold says nothing of its speaker.
        #expect(quotes[1].speaker == nil)
        // An event that names a content this file never defines is an error with its line.
        #expect(throws: GoldError.self) {
            try BratReader().read(annotations: "T1\tSource 40 45\tenvoy\nE1\tAttribution:T9 Content:T7 Source:T1\n", text: mixedText, annPath: "e.ann")
        }
    }

    @Test func jsonGoldAndPredictionsResolveSpeakerLinksByID() throws {
        let json = """
            {"text": "The envoy said \\"maybe\\" twice.", "annotations": [
              {"id": "s1", "kind": "source", "start": 4, "end": 9},
              {"id": "q1", "kind": "quote", "start": 15, "end": 22, "links": [{"rel": "speaker", "target": "s1"}]}
            ]}
            """
        let documents = try JSONGoldReader().read(bytes: Array(json.utf8), path: "g.json") { (name: String) throws(GoldError) -> (text: String, path: String) in
            throw GoldError(file: name, message: "no files here")
        }
        #expect(documents[0].spans.first { $0.kind == .quote }?.speaker == [4..<9])
        // A link to an id the document lacks is an error.
        #expect(throws: GoldError.self) {
            try JSONGoldReader().read(bytes: Array(json.replacingOccurrences(of: "\"target\": \"s1\"", with: "\"target\": \"s9\"").utf8), path: "g.json") {
                (name: String) throws(GoldError) -> (text: String, path: String) in throw GoldError(file: name, message: "no files here")
            }
        }

        let jsonl = """
            {"path":"a.txt","annotations":[{"id":"source-1","kind":"source","start":4,"end":9},{"id":"quote-1","kind":"quote","start":15,"end":22,"links":[{"rel":"speaker","target":"source-1"}]}]}
            """
        let records = try PredictionRecord.read(bytes: Array(jsonl.utf8), path: "p.jsonl")
        let spans = try records[0].spans(over: "The envoy said \"maybe\" twice.", encoding: .utf32)
        #expect(spans.first { $0.kind == .quote }?.speaker == [4..<9])
    }

    @Test func pipelineAnnotationsResolveTheirLinks() {
        let speaker = Annotation(module: "sources", kind: .source, range: 4..<9, text: "envoy")
        let quote = Annotation(module: "quotations", kind: .quote, range: 15..<22, text: "\"maybe\"",
                               links: [AnnotationLink(rel: AnnotationLink.speaker, target: speaker.id)])
        let spans = LabeledSpan.spans(of: [speaker, quote])
        #expect(spans.map(\.speaker) == [nil, [4..<9]])
    }

    @Test func linksAreScoredOnTheQuotesTheMatchPairs() throws {
        func quote(_ range: Range<Int>, speaker: Range<Int>?) -> LabeledSpan {
            var span = LabeledSpan(kind: .quote, range: range, text: "")
            span.speaker = speaker.map { [$0] }
            return span
        }
        let document = GoldDocument(id: "d", text: String(repeating: "x", count: 200), spans: [
            quote(0..<10, speaker: 100..<105),   // right speaker
            quote(20..<30, speaker: 110..<115),  // wrong speaker
            quote(40..<50, speaker: 120..<125),  // no speaker predicted
            quote(60..<70, speaker: nil),        // gold names none; a predicted one is an extra link
            quote(80..<90, speaker: 130..<135),  // quote not found at all: not a link error
        ])
        var evaluator = Evaluator(kinds: [.quote], modes: [.overlap])
        evaluator.add(document, predictions: [
            quote(0..<10, speaker: 102..<104), quote(20..<30, speaker: 150..<155), quote(40..<50, speaker: nil),
            quote(60..<70, speaker: 100..<105),
        ])
        let links = try #require(evaluator.report().speakerLinks)
        #expect(links == SpeakerLinkCounts(gold: 3, right: 1, wrong: 1, missing: 1, extra: 1))
        #expect(links.accuracy == 1.0 / 3)
        #expect(links.precision == 1.0 / 3)
        // Not scoring quotes, no link figures.
        var hedgesOnly = Evaluator(kinds: [.hedge], modes: [.overlap])
        hedgesOnly.add(document, predictions: [])
        #expect(hedgesOnly.report().speakerLinks == nil)
    }
}
