import AnnotationModel
import Evaluation
import Testing

@Suite struct SzegedReaderTests {
    static let xml = """
        <?xml version="1.0" encoding="UTF-8"?><!DOCTYPE Annotation PUBLIC "-//x//EN" "Uncertainty.dtd">
        <Annotation><DocumentSet><Document type="w"><DocID type="ID">Tom &amp; Jerry_1</DocID>
        <DocumentPart type="Title"><Sentence id="S1.1">Tom &amp; Jerry</Sentence></DocumentPart>
        <DocumentPart type="Text"><Sentence id="S1.2">It <ccue type="speculation_modal_probable_">may</ccue> be &lt;old&gt; &#233;t&#xE9; <!-- c --><b>and <ccue type="speculation_hypo_doxastic _">is <i>believed</i></ccue></b>.</Sentence>
        <Sentence id="S1.3"><ccue type="speculation_hypo_condition _">If</ccue> so, &quot;she&quot; <ccue type="speculation_hypo_investigation _">examined</ccue> it&apos;s <ccue type="speculation_modal_possible_">possibly</ccue> true.</Sentence></DocumentPart>
        </Document><Document type="w"><DocID type="ID">Second</DocID><DocumentPart type="Text"><Sentence id="S2.1">Plain.</Sentence><Sentence id="S2.2"/></DocumentPart></Document></DocumentSet></Annotation>
        """

    @Test func documentsWithEntitiesNestingAndHedgeTypes() throws {
        let documents = try SzegedReader().read(bytes: Array(Self.xml.utf8), path: "s.xml")
        #expect(documents.map(\.id) == ["s.xml#Tom & Jerry_1", "s.xml#Second"])
        let first = documents[0]
        #expect(first.text == "Tom & Jerry\nIt may be <old> été and is believed.\nIf so, \"she\" examined it's possibly true.")
        // condition and investigation cues are not hedges.
        #expect(first.spans.map(\.text) == ["may", "is believed", "possibly"])
        #expect(first.spans.map { $0.attributes["type"] } == [.string("probable"), .string("doxastic"), .string("possible")])
        for span in first.spans {
            #expect(String(decoding: Array(first.text.utf8)[span.range], as: UTF8.self) == span.text)
        }
        #expect(documents[1].text == "Plain.\n")
        #expect(documents[1].spans.isEmpty)
    }

    @Test func sentenceUnit() throws {
        let documents = try SzegedReader(unit: .sentence).read(bytes: Array(Self.xml.utf8), path: "s.xml")
        #expect(documents.count == 5)
        #expect(documents[1].id == "s.xml#Tom & Jerry_1#S1.2")
        #expect(documents[1].text == "It may be <old> été and is believed.")
        #expect(documents[1].spans.map(\.range) == [3..<6, 26..<37])
        #expect(documents[2].spans.map(\.text) == ["possibly"])
    }

    @Test func shortTypes() {
        #expect(SzegedReader.shortType("speculation_hypo_doxastic _") == "doxastic")
        #expect(SzegedReader.shortType("speculation_modal_probable_") == "probable")
    }

    @Test func malformedXMLIsAnErrorWithItsLine() {
        let bad = "<Annotation>\n<Document><Sentence>x &nbsp; y</Sentence></Document>\n</Annotation>"
        #expect(throws: GoldError(file: "b.xml", line: 2, message: "unknown entity &nbsp;")) {
            try SzegedReader().read(bytes: Array(bad.utf8), path: "b.xml")
        }
        let crossed = "<Annotation>\n<Document>\n<Sentence><ccue>x</Sentence></ccue></Document></Annotation>"
        #expect(throws: GoldError(file: "c.xml", line: 3, message: "end tag </Sentence> where </ccue> was expected")) {
            try SzegedReader().read(bytes: Array(crossed.utf8), path: "c.xml")
        }
        #expect(throws: GoldError.self) { try SzegedReader().read(bytes: Array("<a><b></b>".utf8), path: "u.xml") }
        #expect(throws: GoldError.self) { try SzegedReader().read(bytes: Array("<a></a>".utf8), path: "e.xml") }
    }
}

@Suite struct XMLPullParserTests {
    @Test func events() throws {
        var parser = XMLPullParser(bytes: Array("<?xml version='1.0'?><a x='1 &amp; 2' y=\"&#x1F600;\"><b/>t<![CDATA[<raw>&amp;]]></a>".utf8))
        var events: [XMLPullParser.Event] = []
        while let event = try parser.next() { events.append(event) }
        #expect(events == [
            .start(name: "a", attributes: ["x": "1 & 2", "y": "😀"]),
            .start(name: "b", attributes: [:]), .end(name: "b"),
            .text("t"), .text("<raw>&amp;"), .end(name: "a"),
        ])
    }
}
