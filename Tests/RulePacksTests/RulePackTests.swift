import AnnotationModel
import RulePacks
import Testing
import TextEngine

@Suite("rule packs")
struct RulePackReadingTests {
    func load(_ json: String) throws(RulePackError) -> RulePack {
        try RulePack.load(bytes: Array(json.utf8), path: "test.json")
    }

    static let hedges = """
        {"format": "scholia-rules/1", "module": "words", "language": "en", "kind": "hedge",
         "sets": {"be": ["is", "are", "was"]},
         "entries": [
           {"phrases": ["probably", "possibly"], "category": "adverb"},
           {"phrases": ["may", "might"], "category": "modal", "when": {"notSurface": ["May"]}},
           {"phrases": ["about", "around"], "category": "approximator", "when": {"nextIsNumber": true}},
           {"phrases": ["believed"], "category": "verb", "when": {"previous": "@be"}},
           {"phrase": "according to", "category": "attribution", "kind": "cue", "attributes": {"frame": "prepositional"}}],
         "tests": [{"text": "It may rain in May, probably.", "expect": [{"text": "may", "category": "modal"}, "probably"], "reject": ["May"]}]}
        """

    @Test func entriesConditionsAndKindsAreRead() throws {
        let pack = try load(Self.hedges)
        #expect(pack.module == "words")
        #expect(pack.language == .english)
        #expect(pack.entries.count == 8)  // one per phrase
        let annotator = RulePackAnnotator(
            name: "words", version: "1", description: "test",
            kinds: [KindDescriptor(kind: .hedge), KindDescriptor(kind: .cue)], packs: [pack])
        let text = "In May it may cost about 300 dollars, it is believed, according to officials; about time."
        let found = try annotator.annotate(AnnotationRequest(text: text, language: .english))
        #expect(found.map(\.text) == ["may", "about", "believed", "according to"])
        #expect(found.map(\.kind) == [.hedge, .hedge, .hedge, .cue])
        #expect(found.last?.attributes["frame"] == "prepositional")
        #expect(found.first?.attributes["category"] == "modal")
    }

    @Test func inlineTestsRunThroughAPipeline() throws {
        let pack = try load(Self.hedges)
        let annotator = RulePackAnnotator(name: "words", version: "1", description: "t", kinds: [KindDescriptor(kind: .hedge)], packs: [pack])
        let outcome = RulePackTests.run([pack], pipeline: AnnotationPipeline(annotators: [annotator]))
        #expect(outcome.count == 1)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")

        // A pack whose test cannot pass reports what it got.
        let failing = try load("""
            {"format": "scholia-rules/1", "module": "words", "language": "en",
             "entries": [{"phrases": ["perhaps"], "category": "adverb"}],
             "tests": [{"text": "It will perhaps rain.", "expect": [{"text": "rain"}], "reject": ["perhaps"]}]}
            """)
        let bad = RulePackAnnotator(name: "words", version: "1", description: "t", kinds: [KindDescriptor(kind: .hedge)], packs: [failing])
        let failures = RulePackTests.run([failing], pipeline: AnnotationPipeline(annotators: [bad])).failures
        #expect(failures.count == 2)
        #expect(failures.first?.message.contains("got hedge \"perhaps\"") == true)
    }

    @Test func arabicProcliticsAndVerbConditions() throws {
        let pack = try load("""
            {"format": "scholia-rules/1", "module": "words", "language": "ar",
             "entries": [{"phrases": ["ربما"], "category": "adverb"},
                         {"phrases": ["قد"], "category": "modal", "when": {"nextVerb": "imperfect"}}]}
            """)
        let annotator = RulePackAnnotator(name: "words", version: "1", description: "t", kinds: [KindDescriptor(kind: .hedge)], packs: [pack])
        let text = "وربّما يعود. قد يكون صحيحا، وقد أعلن الوزير."
        let found = try annotator.annotate(AnnotationRequest(text: text, language: .arabic))
        #expect(found.map(\.text) == ["ربّما", "قد"])
    }

    @Test(arguments: [
        (#"[1]"#, "test.json: a rule pack is a JSON object"),
        (#"{"format": "x"}"#, "test.json: format: expected \"scholia-rules/1\", got \"x\""),
        (#"{"format": "scholia-rules/1", "language": "en", "entries": []}"#, "test.json: module: missing"),
        (#"{"format": "scholia-rules/1", "module": "m", "language": "en", "entries": [{"phrases": ["a"]}]}"#,
         "test.json: entries[0].category: missing"),
        (#"{"format": "scholia-rules/1", "module": "m", "language": "en", "entries": [{"phrases": ["a"], "category": "c", "when": {"next": "@nope"}}]}"#,
         "test.json: entries[0].when.next: unknown word set 'nope'"),
        (#"{"format": "scholia-rules/1", "module": "m", "language": "en", "entries": [{"phrases": ["a"], "category": "c", "when": {"soon": true}}]}"#,
         "test.json: entries[0].when.soon: unknown condition"),
        (#"{"format": "scholia-rules/1", "module": "m", "language": "en", "entries": [], "extra": 1}"#,
         "test.json: extra: unknown member"),
        (#"{"format": "scholia-rules/1", "module": "m", "language": "en", "entries": [{"phrases": ["a"], "category": "c", "proclitics": "xx"}]}"#,
         "test.json: entries[0].proclitics: unknown proclitic 'xx'"),
    ])
    func errorsNameTheFileAndTheField(json: String, expected: String) {
        #expect {
            _ = try load(json)
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    @Test func notJSONIsReportedWithItsPosition() {
        #expect {
            _ = try load("{\"format\": ")
        } throws: { error in
            "\(error)".hasPrefix("test.json: not JSON:")
        }
    }
}
