import AnnotationModel
import Testing

@Suite("document profile")
struct DocumentProfileTests {
    func annotation(_ id: String, _ kind: AnnotationKind, _ text: String, _ attributes: [String: AttributeValue] = [:],
                    links: [AnnotationLink] = []) -> Annotation {
        Annotation(id: id, module: "test", kind: kind, range: 0..<1, text: text, attributes: attributes, links: links)
    }

    @Test func countsNamedAndUnnamedSourcesHedgesAndQuotes() {
        let text = "Officials said “we may win”, Reuters reported; officials  added it is probably true."
        let annotations = [
            annotation("source-1", .source, "Officials", ["named": false, "type": "group"]),
            annotation("cue-1", .cue, "said", links: [AnnotationLink(rel: "source", target: "source-1")]),
            annotation("quote-1", .quote, "“we may win”", links: [AnnotationLink(rel: "speaker", target: "source-1")]),
            annotation("hedge-1", .hedge, "may", ["category": "modal"]),
            annotation("source-2", .source, "Reuters", ["named": true, "type": "media"]),
            annotation("source-3", .source, "officials", ["named": false]),
            annotation("hedge-2", .hedge, "probably", ["category": "adverb"]),
            annotation("quote-2", .quote, "“x”"),
        ]
        let profile = DocumentProfile(utf8: Array(text.utf8), annotations: annotations)
        #expect(profile.words == 13)
        #expect(profile.namedSources == 1)
        #expect(profile.unnamedSources == 2)
        #expect(profile.cues == 1)
        #expect(profile.hedges == 2)
        #expect(profile.hedgesByCategory == ["modal": 1, "adverb": 1])
        #expect(profile.quotes == 2)
        #expect(profile.quotesWithSpeaker == 1)
        #expect(profile.quotesWithoutSpeaker == 1)
        // "Officials" and "officials" are one source, mentioned twice, listed first.
        #expect(profile.distinctSources.map(\.text) == ["Officials", "Reuters"])
        #expect(profile.distinctSources.map(\.mentions) == [2, 1])
        #expect(profile.summary == "1 named · 2 unnamed sources · 2 hedges · 2 quotes")
        #expect(abs(profile.perThousandWords(2) - 2000.0 / 13) < 1e-9)
    }

    @Test func arabicWordsWithDiacriticsCountOnceAndAnEmptyTextHasNoRate() {
        // Diacritics (nonspacing marks) stay inside their word; punctuation and digits separate or count.
        #expect(DocumentProfile(utf8: Array("قالَ الوزيرُ، إنّ 42 وفدًا".utf8), annotations: []).words == 5)
        let empty = DocumentProfile(utf8: [], annotations: [])
        #expect(empty.words == 0)
        #expect(empty.perThousandWords(3) == 0)
        #expect(empty.summary == "0 named · 0 unnamed sources · 0 hedges · 0 quotes")
    }
}
