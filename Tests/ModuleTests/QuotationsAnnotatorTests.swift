import AnnotationModel
import Foundation
import QuotationsModule
import ScholiaTestSupport
import Testing
import TextEngine

/// Stands in for the sources module, which does not exist yet: returns fixed annotations, shaped
/// as the quotations module expects (cues linking `source` → their source).
private struct FixedSources: Annotator {
    let descriptor = ModuleDescriptor(
        name: "sources", version: "0", description: "fixed cues and sources (tests)",
        kinds: [KindDescriptor(kind: .source), KindDescriptor(kind: .cue)], languages: ["en", "ar"])
    let annotations: [Annotation]

    func annotate(_ request: AnnotationRequest) throws -> [Annotation] { annotations }
}

private func source(_ range: Range<Int>) -> Annotation {
    Annotation(module: "sources", kind: .source, range: range, text: "")
}

private func cue(_ range: Range<Int>, source: Annotation? = nil, content: String? = nil) -> Annotation {
    var links: [AnnotationLink] = []
    if let source { links.append(AnnotationLink(rel: AnnotationLink.source, target: source.id)) }
    if let content { links.append(AnnotationLink(rel: AnnotationLink.content, target: content)) }
    return Annotation(module: "sources", kind: .cue, range: range, text: "", links: links)
}

private func annotate(_ text: String, prior: [Annotation] = []) throws -> [Annotation] {
    let language: Language = text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } ? .arabic : .english
    return try QuotationsAnnotator().annotate(AnnotationRequest(text: text, language: language, prior: prior))
}

@Suite struct QuotationsAnnotatorTests {
    @Test func descriptor() {
        let descriptor = QuotationsAnnotator().descriptor
        #expect(descriptor.name == "quotations")
        #expect(descriptor.kinds.map(\.kind) == [.quote])
        #expect(descriptor.languages == [.english, .arabic])
        #expect(descriptor.runsAfter == ["sources"])
        #expect(!descriptor.version.isEmpty && !descriptor.description.isEmpty)
    }

    @Test func attributes() throws {
        let fixture = MarkedText("He wrote ⟦“Call it ⟦‘reform’⟧ if you like”⟧ and ⟦«نعم سنفعل ذلك⟧\nthen left.")
        let quotes = try annotate(fixture.text)
        #expect(quotes.map(\.range) == fixture.spans)
        #expect(quotes.allSatisfy { $0.kind == .quote && $0.module == "quotations" })
        #expect(quotes.map { $0.text } == fixture.spans.map(fixture.slice))
        #expect(quotes.map { $0.attributes["marks"] } == ["“”", "‘’", "«"])
        #expect(quotes.map { $0.attributes["closed"] } == [true, true, false])
        #expect(quotes.map { $0.attributes["nested"] } == [false, true, false])
        #expect(quotes.map { $0.attributes["paragraphs"] } == [1, 1, 1])
        #expect(quotes.map { $0.attributes["partial"] } == [false, true, false])
        #expect(quotes.map { $0.attributes["language"] } == ["en", "en", "ar"])
        #expect(quotes[1].link("parent") == quotes[0].id)
        #expect(quotes[0].links.isEmpty && quotes[2].links.isEmpty)
    }

    /// Attribute sets after the first are made from it with what differs replaced: each quote's
    /// set is still exactly its own six attributes, whichever differ from the first quote's.
    @Test func attributeSetsAfterTheFirstAreTheirOwn() throws {
        let text = "He wrote “Call it what you like” and «نعم سنفعل ذلك» then “Done\n“and done.” and "
            + "‘a ‘quoted’ word’ and \"plain words here\" and «كلمة» and “unclosed words\nend."
        let quotes = try annotate(text)
        let scanned = QuotationScanner.scan(text)
        #expect(quotes.count == scanned.count && quotes.count >= 7)
        for (quote, quotation) in zip(quotes, scanned) {
            let language = LanguageDetector.detect(Array(text.utf8), in: quotation.contentRange)
            let expected: [String: AttributeValue] = [
                "marks": .string(quotation.openingMark + (quotation.closingMark ?? "")),
                "closed": .bool(quotation.isClosed), "nested": .bool(quotation.isNested),
                "paragraphs": .integer(quotation.paragraphCount), "partial": quote.attributes["partial"] ?? .bool(true),
                "language": .string(language.rawValue),
            ]
            #expect(quote.attributes == expected, "\(quote.text)")
        }
    }

    @Test func quotationOverParagraphsIsOneQuote() throws {
        let fixture = MarkedText("⟦“First paragraph.\n“Second paragraph.\n“Third and last.”⟧ he wrote.")
        let quotes = try annotate(fixture.text)
        #expect(quotes.map(\.range) == fixture.spans)
        #expect(quotes.first?.attributes["paragraphs"] == 3)
    }

    @Test func speakerAfterTheQuote() throws {
        for marked in [
            "⟦“We will not back down,”⟧ ⟦the minister⟧ ⟦said⟧ on Tuesday.",
            "⟦“We will not back down,”⟧ ⟦said⟧ ⟦the minister⟧ on Tuesday.",
            "⟦“Why should we back down?”⟧ ⟦the minister⟧ ⟦asked⟧.",
            "⟦“We will not back down”⟧, ⟦the U.S. Secretary of State⟧ ⟦told⟧ reporters.",
        ] {
            let fixture = MarkedText(marked)
            let (quoteSpan, sourceSpan, cueSpan) = (fixture.spans[0], fixture.spans[1], fixture.spans[2])
            let speaker = source(sourceSpan)
            let cueAnnotation = cue(cueSpan, source: speaker)
            let quotes = try annotate(fixture.text, prior: [speaker, cueAnnotation])
            #expect(quotes.map(\.range) == [quoteSpan], "in \(fixture.text)")
            #expect(quotes.first?.link("speaker") == speaker.id, "in \(fixture.text)")
            #expect(quotes.first?.link("cue") == cueAnnotation.id, "in \(fixture.text)")
        }
    }

    @Test func speakerBeforeTheQuote() throws {
        for marked in [
            "⟦The minister⟧ ⟦said⟧: ⟦“We will not back down.”⟧",
            "⟦The minister⟧ ⟦said⟧ ⟦\"we will not back down\"⟧ and left.",
            "Yesterday ⟦the minister⟧ ⟦told⟧ reporters at the ministry: ⟦“We will not back down.”⟧",
        ] {
            let fixture = MarkedText(marked)
            let speaker = source(fixture.spans[0])
            let cueAnnotation = cue(fixture.spans[1], source: speaker)
            let quotes = try annotate(fixture.text, prior: [speaker, cueAnnotation])
            #expect(quotes.map(\.range) == [fixture.spans[2]], "in \(fixture.text)")
            #expect(quotes.first?.link("speaker") == speaker.id, "in \(fixture.text)")
            #expect(quotes.first?.link("cue") == cueAnnotation.id, "in \(fixture.text)")
        }
    }

    @Test func arabicSpeakerBeforeTheQuote() throws {
        let fixture = MarkedText("و⟦قال⟧ ⟦وزير الخارجية⟧ للصحفيين: ⟦«لن نتراجع عن موقفنا»⟧.")
        let speaker = source(fixture.spans[1])
        let cueAnnotation = cue(fixture.spans[0], source: speaker)
        let quotes = try annotate(fixture.text, prior: [cueAnnotation, speaker])
        #expect(quotes.map(\.range) == [fixture.spans[2]])
        #expect(quotes.first?.link("speaker") == speaker.id)
        #expect(quotes.first?.link("cue") == cueAnnotation.id)
        #expect(quotes.first?.attributes["language"] == "ar")
    }

    /// Arabic drops the subject (`وأضاف` "and he added"): a cue and no source, so no speaker link.
    @Test func cueWithoutSource() throws {
        let fixture = MarkedText("و⟦أضاف⟧: ⟦«لن نتراجع عن موقفنا»⟧.")
        let cueAnnotation = cue(fixture.spans[0])
        let quotes = try annotate(fixture.text, prior: [cueAnnotation])
        #expect(quotes.first?.link("cue") == cueAnnotation.id)
        #expect(quotes.first?.link("speaker") == nil)
    }

    /// `وأضاف: «...»` after a sentence that names the speaker: the dropped subject is that voice
    /// (the text names the speaker in the previous sentence). A plural verb (`قالوا`) is its own voice.
    @Test func cueWithoutSourceOpeningASentenceGoesOnInThePreviousVoice() throws {
        func verb(_ range: Range<Int>, _ text: String, source: Annotation? = nil) -> Annotation {
            Annotation(module: "sources", kind: .cue, range: range, text: text, attributes: ["category": "verb"],
                       links: source.map { [AnnotationLink(rel: AnnotationLink.source, target: $0.id)] } ?? [])
        }
        let fixture = MarkedText("و⟦قال⟧ ⟦الوزير⟧ إن المحادثات مثمرة. و⟦أضاف⟧: ⟦«نحن متفائلون»⟧.")
        let speaker = source(fixture.spans[1])
        let added = verb(fixture.spans[2], "أضاف")
        let quotes = try annotate(fixture.text, prior: [verb(fixture.spans[0], "قال", source: speaker), speaker, added])
        #expect(quotes.map(\.range) == [fixture.spans[3]])
        #expect(quotes.first?.link("speaker") == speaker.id)
        #expect(quotes.first?.link("cue") == added.id)

        let plural = MarkedText("و⟦قال⟧ ⟦الوزير⟧ إن المحادثات مثمرة. و⟦قالوا⟧ له: ⟦«نحن متفائلون»⟧.")
        let minister = source(plural.spans[1])
        let theirs = try annotate(plural.text, prior: [
            verb(plural.spans[0], "قال", source: minister), minister, verb(plural.spans[2], "قالوا"),
        ])
        #expect(theirs.first?.link("speaker") == nil)
    }

    /// A cue the sources module did not link to its source still finds the source beside it.
    @Test func unlinkedCueTakesTheSourceBesideIt() throws {
        let fixture = MarkedText("⟦“We will win,”⟧ ⟦said⟧ ⟦the minister⟧ on Tuesday.")
        let speaker = source(fixture.spans[2])
        let quotes = try annotate(fixture.text, prior: [cue(fixture.spans[1]), speaker])
        #expect(quotes.first?.link("speaker") == speaker.id)
    }

    @Test func speakerNamedInThePreviousSentence() throws {
        for marked in [
            "⟦Smith⟧ ⟦told⟧ reporters the plan was sound.\n\n⟦“We will not back down.”⟧",
            "⟦Smith⟧ ⟦told⟧ reporters the plan was sound. ⟦“We will not back down.”⟧ ⟦“Never.”⟧",
        ] {
            let fixture = MarkedText(marked)
            let speaker = source(fixture.spans[0])
            let quotes = try annotate(fixture.text, prior: [speaker, cue(fixture.spans[1], source: speaker)])
            #expect(quotes.map(\.range) == Array(fixture.spans[2...]), "in \(fixture.text)")
            #expect(quotes.map { $0.link("speaker") } == quotes.map { _ in speaker.id }, "in \(fixture.text)")
            #expect(quotes.allSatisfy { $0.link("cue") == nil }, "in \(fixture.text)")
            #expect(quotes.map { $0.attributes["partial"] } == quotes.map { _ in false }, "in \(fixture.text)")
        }
    }

    @Test func oneCueBetweenTwoPartsOfAQuotation() throws {
        let fixture = MarkedText("⟦“We will,”⟧ ⟦he⟧ ⟦said⟧, ⟦“win this.”⟧")
        let speaker = source(fixture.spans[1])
        let cueAnnotation = cue(fixture.spans[2], source: speaker)
        let quotes = try annotate(fixture.text, prior: [speaker, cueAnnotation])
        #expect(quotes.map(\.range) == [fixture.spans[0], fixture.spans[3]])
        #expect(quotes.map { $0.link("speaker") } == [speaker.id, speaker.id])
        #expect(quotes.map { $0.link("cue") } == [cueAnnotation.id, cueAnnotation.id])
    }

    @Test func cueNamingItsContent() throws {
        let fixture = MarkedText("⟦Officials⟧ ⟦released⟧ a statement on Monday, and late at night, after a long meeting of the full cabinet in the capital, the words ⟦“we stand firm”⟧ appeared.")
        let speaker = source(fixture.spans[0])
        // Named by the id the quote will have, or through a content span covering the quoted words.
        let quoteID = Annotation.provisionalID(kind: .quote, range: fixture.spans[2])
        let words = (fixture.spans[2].lowerBound + 3)..<(fixture.spans[2].upperBound - 3)
        let content = Annotation(module: "sources", kind: "content", range: words, text: "")
        for (target, extra) in [(quoteID, [Annotation]()), (content.id, [content])] {
            let cueAnnotation = cue(fixture.spans[1], source: speaker, content: target)
            let quotes = try annotate(fixture.text, prior: [speaker, cueAnnotation] + extra)
            #expect(quotes.first?.link("speaker") == speaker.id)
            #expect(quotes.first?.link("cue") == cueAnnotation.id)
        }
    }

    /// Words inside a quotation are the quoted speaker's: a cue there introduces nothing outside.
    @Test func cuesInsideQuotationsAreIgnored() throws {
        let fixture = MarkedText("⟦“⟦He⟧ ⟦said⟧ no to all of it,”⟧ ⟦she⟧ ⟦said⟧.")
        let inner = source(fixture.spans[1])
        let outer = source(fixture.spans[3])
        let innerCue = cue(fixture.spans[2], source: inner)
        let outerCue = cue(fixture.spans[4], source: outer)
        let quotes = try annotate(fixture.text, prior: [inner, innerCue, outer, outerCue])
        #expect(quotes.map(\.range) == [fixture.spans[0]])
        #expect(quotes.first?.link("speaker") == outer.id)
        #expect(quotes.first?.link("cue") == outerCue.id)
    }

    @Test func noLinkWhereTheTextNamesNoSpeaker() throws {
        let plain = try annotate("The plan was called “a disaster for everyone” by some.")
        #expect(plain.count == 1 && plain[0].links.isEmpty)

        // A cue in another sentence, and a quotation that is not a sentence of its own.
        let fixture = MarkedText("⟦Smith⟧ ⟦said⟧ the plan was sound. The crowd chanted ⟦“no more cuts”⟧ loudly.")
        let speaker = source(fixture.spans[0])
        let quotes = try annotate(fixture.text, prior: [speaker, cue(fixture.spans[1], source: speaker)])
        #expect(quotes.map(\.range) == [fixture.spans[2]])
        #expect(quotes.first?.links.isEmpty == true)

        // A cue far from the quotation in a long sentence.
        let far = MarkedText("⟦Smith⟧ ⟦said⟧ that in the long months of the negotiations that followed the election the parties had met often and agreed on ⟦“almost nothing at all”⟧.")
        let farSpeaker = source(far.spans[0])
        let farQuotes = try annotate(far.text, prior: [farSpeaker, cue(far.spans[1], source: farSpeaker)])
        #expect(farQuotes.first?.links.isEmpty == true)
    }

    /// The nearer cue names nobody, the other one does: the voice is the other one's.
    @Test func theCueThatNamesSomeoneWins() throws {
        let fixture = MarkedText("⟦Holm⟧ ⟦said⟧ in the letter that the advertisement ⟦“unmistakably and wrongfully”⟧ ⟦suggests⟧ support.")
        let speaker = source(fixture.spans[0])
        let said = cue(fixture.spans[1], source: speaker)
        let quotes = try annotate(fixture.text, prior: [speaker, said, cue(fixture.spans[3])])
        #expect(quotes.first?.link("speaker") == speaker.id)
        #expect(quotes.first?.link("cue") == said.id)
    }

    /// A title in quotation marks between a cue and the quotation it introduces is no barrier.
    @Test func aQuotedTitleDoesNotHideTheCue() throws {
        let fixture = MarkedText("⟦Johnson⟧ ⟦tells⟧ MSNBC’s ⟦“Morning Joe”⟧ on Friday that ⟦“exactly who did it”⟧ remains unknown.")
        let speaker = source(fixture.spans[0])
        let quotes = try annotate(fixture.text, prior: [speaker, cue(fixture.spans[1], source: speaker)])
        #expect(quotes.map(\.range) == [fixture.spans[2], fixture.spans[3]])
        #expect(quotes.last?.link("speaker") == speaker.id)
    }

    /// A quotation that ends with its own question mark or full stop is closed by the cue right
    /// after it, though the splitter starts a sentence there; not across a line break.
    @Test func theCueRightAfterAQuotationThatEndsItsSentence() throws {
        let fixture = MarkedText("⟦Trump⟧ ⟦spoke⟧ first. ⟦“How many times do we have to see this?”⟧ ⟦Clinton⟧ ⟦said⟧.")
        let trump = source(fixture.spans[0])
        let clinton = source(fixture.spans[3])
        let quotes = try annotate(fixture.text, prior: [
            trump, cue(fixture.spans[1], source: trump), clinton, cue(fixture.spans[4], source: clinton),
        ])
        #expect(quotes.first?.link("speaker") == clinton.id)

        let lines = MarkedText("⟦“Not a worthy representative.”⟧ ― ⟦Oscar Quintero⟧\n⟦“I just hope this campaign helps.”⟧ ― ⟦Jorge Falcon⟧")
        let oscar = source(lines.spans[1])
        let jorge = source(lines.spans[3])
        let dashes = [
            cue(lines.text.utf8Range(of: "―", occurrence: 0), source: oscar),
            cue(lines.text.utf8Range(of: "―", occurrence: 1), source: jorge),
        ]
        let quoted = try annotate(lines.text, prior: [oscar, jorge] + dashes)
        #expect(quoted.map { $0.link("speaker") } == [oscar.id, jorge.id])
    }

    @Test func scareQuotesArePartial() throws {
        let fixture = MarkedText("The so-called ⟦“experts”⟧ backed a ⟦\"merit system\"⟧. ⟦“Never,”⟧ ⟦he⟧ ⟦said⟧.")
        let speaker = source(fixture.spans[3])
        let quotes = try annotate(fixture.text, prior: [speaker, cue(fixture.spans[4], source: speaker)])
        #expect(quotes.map(\.range) == Array(fixture.spans[0...2]))
        #expect(quotes.map { $0.attributes["partial"] } == [true, true, false])
        #expect(quotes.map { $0.link("speaker") } == [nil, nil, speaker.id])
    }

    @Test func emptyTextAndTextOfOnlyMarks() throws {
        #expect(try annotate("").isEmpty)
        #expect(try annotate("“” «» \"\" ‘’ „“").isEmpty)
    }

    /// Through the pipeline: the quotations module runs after the sources module whatever order it
    /// is given in, and its links end up on the final ids.
    @Test func pipelineRunsSourcesFirstAndRewritesLinks() throws {
        let fixture = MarkedText("⟦“We will not back down,”⟧ ⟦the minister⟧ ⟦said⟧.")
        let speaker = source(fixture.spans[1])
        let cueAnnotation = cue(fixture.spans[2], source: speaker)
        let pipeline = AnnotationPipeline(annotators: [QuotationsAnnotator(), FixedSources(annotations: [speaker, cueAnnotation])])
        #expect(pipeline.moduleNames == ["sources", "quotations"])
        let result = pipeline.run(text: fixture.text, language: .english)
        #expect(result.failures.isEmpty && result.dropped.isEmpty)
        let quote = try #require(result.annotations.first { $0.kind == .quote })
        #expect(quote.id == "quote-1")
        #expect(quote.link("speaker") == "source-1")
        #expect(quote.link("cue") == "cue-1")

        // Without the sources module: the quote, and no links.
        let alone = AnnotationPipeline(annotators: [QuotationsAnnotator()]).run(text: fixture.text, language: .english)
        #expect(alone.annotations.map(\.range) == [fixture.spans[0]])
        #expect(alone.annotations.first?.links.isEmpty == true)
    }

    @Test func seedArticle() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds/000_8c0ffeb5a460f4f0.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let quotes = try annotate(text)
        #expect(quotes.map(\.range) == [3309..<3465])
        #expect(quotes.first?.text == "“بحاجة الرئيس بوتين إلى مساعدات الحرب وجهود الزعيم كيم لإبراز مكانة كوريا الشمالية”")
        #expect(quotes.first?.attributes["language"] == "ar")
        #expect(quotes.first?.attributes["partial"] == false)
        #expect(quotes.first?.links.isEmpty == true)
    }

    /// Prints throughput of the whole module (scan, sentence ends, linking); asserts nothing about time.
    @Test func throughput() throws {
        let paragraph = """
            “We will not back down,” the minister said on Tuesday, adding that the so-called "experts" had \
            misread the Ministry's plan. قال الوزير: «لن نتراجع»، وأضاف أن ‘الخبراء’ أخطأوا. Don't worry.\n
            """
        var text = ""
        while text.utf8.count < 4_000_000 { text += paragraph }
        let request = AnnotationRequest(text: text, language: .english)
        let clock = ContinuousClock()
        var count = 0
        let elapsed = try clock.measure { count = try QuotationsAnnotator().annotate(request).count }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("QuotationsAnnotator: \(request.utf8.count) bytes, \(count) quotes in \(elapsed): \(Double(request.utf8.count) / seconds / 1_000_000) MB/s")
    }
}

extension String {
    /// The UTF-8 range of the `occurrence`-th (from 0) appearance of `needle`.
    fileprivate func utf8Range(of needle: String, occurrence: Int) -> Range<Int> {
        let bytes = Array(utf8)
        let pattern = Array(needle.utf8)
        var seen = 0
        var index = 0
        while index + pattern.count <= bytes.count {
            if Array(bytes[index..<(index + pattern.count)]) == pattern {
                if seen == occurrence { return index..<(index + pattern.count) }
                seen += 1
            }
            index += 1
        }
        preconditionFailure("no occurrence \(occurrence) of \(needle)")
    }
}
