@testable import AnnotationModel
import Testing

/// A module made for these tests: marks every occurrence of a word with a kind, optionally links to
/// another module's annotations, optionally throws or returns bad spans.
private struct WordMarker: Annotator {
    enum Fault: Sendable { case none, throwsError, spanPastEnd, midCharacter, undeclaredKind }

    let descriptor: ModuleDescriptor
    let word: String
    let kind: AnnotationKind
    let fault: Fault
    let linkToPriorKind: AnnotationKind?

    init(name: String, word: String, kind: AnnotationKind, fault: Fault = .none, runsAfter: [String] = [], languages: [Language] = ["en", "ar"],
         linkToPriorKind: AnnotationKind? = nil) {
        descriptor = ModuleDescriptor(
            name: name, version: "1", description: "test", kinds: [KindDescriptor(kind: kind)], languages: languages,
            runsAfter: runsAfter)
        self.word = word
        self.kind = kind
        self.fault = fault
        self.linkToPriorKind = linkToPriorKind
    }

    func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        if fault == .throwsError { throw AnnotatorError("boom") }
        let bytes = request.utf8
        let needle = Array(word.utf8)
        var result: [Annotation] = []
        var i = 0
        while i + needle.count <= bytes.count {
            if Array(bytes[i..<(i + needle.count)]) == needle {
                var range = i..<(i + needle.count)
                var kind = self.kind
                switch fault {
                case .spanPastEnd: range = i..<(bytes.count + 10)
                case .midCharacter: range = (i + 1)..<(i + needle.count)
                case .undeclaredKind: kind = "other"
                default: break
                }
                var links: [AnnotationLink] = []
                if let linkToPriorKind, let target = request.prior.first(where: { $0.kind == linkToPriorKind }) {
                    links.append(AnnotationLink(rel: "source", target: target.id))
                }
                links.append(AnnotationLink(rel: "dangling", target: "nowhere:0-1"))
                result.append(Annotation(module: "ignored", kind: kind, range: range, text: "ignored", links: links))
                i += needle.count
            } else {
                i += 1
            }
        }
        return result
    }
}

/// A module that returns the spans it is given with the texts it is given, right or wrong.
private struct GivenTexts: Annotator {
    let descriptor = ModuleDescriptor(
        name: "given", version: "1", description: "test", kinds: [KindDescriptor(kind: "mark")], languages: ["en", "ar"])
    let spans: [(Range<Int>, String)]

    func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        spans.map { Annotation(module: "given", kind: "mark", range: $0.0, text: $0.1) }
    }
}

@Suite struct AnnotationPipelineTests {
    @Test func aModulesTextIsKeptOnlyWhenItIsTheDocumentsBytes() {
        // Texts longer and shorter than the eight-byte steps of the comparison, wrong in their
        // first, middle or last byte, and Arabic.
        let text = "The minister said the plan is sound. قال الوزير إن الخطة سليمة"
        let bytes = Array(text.utf8)
        func slice(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func changed(_ range: Range<Int>, at offset: Int) -> String {
            var copy = Array(bytes[range])
            copy[offset] = copy[offset] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
            return String(decoding: copy, as: UTF8.self)
        }
        let arabic = (text.utf8.count - "الوزير إن الخطة سليمة".utf8.count)..<bytes.count
        let spans: [(Range<Int>, String)] = [
            (0..<3, "The"), (4..<12, "minister"), (0..<35, slice(0..<35)), (4..<35, changed(4..<35, at: 30)),
            (13..<17, changed(13..<17, at: 0)), (0..<17, changed(0..<17, at: 9)), (arabic, slice(arabic)),
            (22..<35, "plan is sound"), (18..<35, "wrong length"), (0..<36, changed(0..<36, at: 12)),
        ]
        let result = AnnotationPipeline(annotators: [GivenTexts(spans: spans)]).run(text: text, language: "en")
        #expect(result.annotations.count == spans.count)
        for annotation in result.annotations {
            #expect(annotation.text == slice(annotation.range), "\(annotation.range)")
        }
    }

    @Test func resultsAreSortedNumberedAndLinked() {
        let pipeline = AnnotationPipeline(annotators: [
            // Given out of order: the cue module reads the source module's output, so it must run second.
            WordMarker(name: "cues", word: "said", kind: .cue, runsAfter: ["sources"], linkToPriorKind: .source),
            WordMarker(name: "sources", word: "Kyodo", kind: .source),
        ])
        #expect(pipeline.moduleNames == ["sources", "cues"])
        let result = pipeline.run(text: "Kyodo said, and Kyodo said again", language: .english)
        #expect(result.failures.isEmpty)
        #expect(result.annotations.map(\.id) == ["source-1", "cue-1", "source-2", "cue-2"])
        #expect(result.annotations.map(\.text) == ["Kyodo", "said", "Kyodo", "said"])
        #expect(result.annotations.map(\.module) == ["sources", "cues", "sources", "cues"])
        // Links point at the final ids; the dangling one is gone.
        #expect(result.annotations[1].links == [AnnotationLink(rel: "source", target: "source-1")])
        #expect(result.annotations[0].links.isEmpty)
    }

    @Test func aThrowingModuleLosesOnlyItsOwnOutput() {
        let pipeline = AnnotationPipeline(annotators: [
            WordMarker(name: "broken", word: "a", kind: .hedge, fault: .throwsError),
            WordMarker(name: "fine", word: "may", kind: .hedge),
        ])
        let result = pipeline.run(text: "it may rain", language: .english)
        #expect(result.failures == [ModuleFailure(module: "broken", message: "boom")])
        #expect(result.annotations.map(\.text) == ["may"])
    }

    @Test(arguments: [WordMarker.Fault.spanPastEnd, .midCharacter, .undeclaredKind])
    fileprivate func badSpansAreDroppedWithAReason(fault: WordMarker.Fault) {
        let pipeline = AnnotationPipeline(annotators: [
            WordMarker(name: "bad", word: "ربما", kind: .hedge, fault: fault),
            WordMarker(name: "good", word: "قد", kind: .hedge),
        ])
        let result = pipeline.run(text: "ربما قد", language: .arabic)
        #expect(result.dropped.count == 1)
        #expect(result.dropped.first?.module == "bad")
        #expect(result.annotations.map(\.text) == ["قد"])
    }

    @Test func modulesThatDoNotHandleTheLanguageDoNotRun() {
        let pipeline = AnnotationPipeline(annotators: [WordMarker(name: "en", word: "may", kind: .hedge, languages: ["en"])])
        #expect(pipeline.run(text: "may", language: .arabic).annotations.isEmpty)
        #expect(pipeline.run(text: "may", language: .english).annotations.count == 1)
    }

    @Test func onlyTheRequestedModulesRun() {
        let pipeline = AnnotationPipeline(annotators: [
            WordMarker(name: "one", word: "a", kind: .hedge), WordMarker(name: "two", word: "b", kind: .cue),
        ])
        let result = pipeline.run(text: "a b", language: .english, modules: ["two"])
        #expect(result.annotations.map(\.module) == ["two"])
    }

    @Test func cancellationStopsTheRun() {
        let pipeline = AnnotationPipeline(annotators: [WordMarker(name: "one", word: "a", kind: .hedge)])
        let result = pipeline.run(text: "a", language: .english, isCancelled: { true })
        #expect(result.cancelled)
        #expect(result.annotations.isEmpty)
    }

    @Test func exactRepeatsAreMergedAndNestedSpansSortOuterFirst() {
        let spans: [Annotation] = [
            Annotation(module: "m", kind: .hedge, range: 5..<8, text: ""),
            Annotation(module: "m", kind: .quote, range: 0..<20, text: ""),
            Annotation(module: "m", kind: .hedge, range: 5..<8, text: ""),
        ]
        let final = AnnotationPipeline.finalize(spans)
        #expect(final.map(\.id) == ["quote-1", "hedge-1"])
    }

    @Test func idsAreWrittenAsInterpolationWritesThem() {
        for (start, end) in [(0, 0), (7, 12), (120, 186), (-5, 3), (Int.max - 1, Int.max), (Int.min, -1)] {
            #expect(Annotation.provisionalID(kind: .quote, range: start..<end) == "quote:\(start)+\(end - start)")
        }
        #expect(IDText.make("source", UInt8(ascii: "-"), 10) == "source-10")
        #expect(IDText.make("a-kind-with-a-long-name", UInt8(ascii: "-"), 1_234_567) == "a-kind-with-a-long-name-1234567")
    }

    @Test func idTableFindsWhatWasInsertedOnce() {
        var table = IDTable()
        #expect(table.find("quote:1-2") == nil)
        let ids = (0..<100).map { "source:\($0)-\($0 + 5)" } + ["é", "", "quote:1-2"]
        for id in ids + ids { table.insert(id) }
        #expect(table.count == ids.count)
        for (index, id) in ids.enumerated() { #expect(table.find(id) == index) }
        #expect(table.find("source:100-105") == nil)
    }

    @Test func finalizeDropsRepeatsKeepingTheFirstAndItsLinks() {
        func annotation(_ module: String, _ kind: AnnotationKind, _ range: Range<Int>, id: String,
                        links: [AnnotationLink] = [], attributes: [String: AttributeValue] = [:]) -> Annotation {
            Annotation(id: id, module: module, kind: kind, range: range, text: "", attributes: attributes, links: links)
        }
        let input = [
            annotation("b", .cue, 10..<12, id: "c1", links: [AnnotationLink(rel: "source", target: "s1")]),
            annotation("a", .source, 0..<5, id: "s1", attributes: ["first": true]),
            annotation("a", .source, 0..<5, id: "s2", attributes: ["first": false]),
            annotation("b", .source, 0..<5, id: "s3"),
            annotation("a", .source, 0..<3, id: "s4"),
            annotation("b", .cue, 10..<12, id: "c2"),
        ]
        let final = AnnotationPipeline.finalize(input)
        #expect(final.map(\.id) == ["source-1", "source-2", "source-3", "cue-1"])
        #expect(final.map(\.module) == ["a", "b", "a", "b"])
        #expect(final[0].attributes["first"] == true)
        #expect(final[3].links == [AnnotationLink(rel: "source", target: "source-1")])
        #expect(AnnotationPipeline.finalize(input, distinct: true).count == input.count)
    }

    /// Links are rewritten in place: each kept link gets its target's final id, in order, and a
    /// link to an annotation that is not in the result is dropped wherever it stands.
    @Test func finalizeRewritesLinksInOrderAndDropsDangling() {
        let links = [
            AnnotationLink(rel: "source", target: "missing-1"), AnnotationLink(rel: "source", target: "s1"),
            AnnotationLink(rel: "content", target: "missing-2"), AnnotationLink(rel: "content", target: "q1"),
            AnnotationLink(rel: "other", target: "missing-3"),
        ]
        let input = [
            Annotation(id: "c1", module: "m", kind: .cue, range: 10..<12, text: "", links: links),
            Annotation(id: "s1", module: "m", kind: .source, range: 0..<5, text: ""),
            Annotation(id: "q1", module: "m", kind: .quote, range: 20..<30, text: "",
                       links: [AnnotationLink(rel: "cue", target: "c1")]),
            Annotation(id: "x1", module: "m", kind: .quote, range: 40..<50, text: "",
                       links: [AnnotationLink(rel: "cue", target: "gone")]),
        ]
        let final = AnnotationPipeline.finalize(input)
        #expect(final.map(\.id) == ["source-1", "cue-1", "quote-1", "quote-2"])
        #expect(final[1].links == [AnnotationLink(rel: "source", target: "source-1"), AnnotationLink(rel: "content", target: "quote-1")])
        #expect(final[2].links == [AnnotationLink(rel: "cue", target: "cue-1")])
        #expect(final[3].links.isEmpty)
    }

    @Test func idTableWithCapacityFindsTheSame() {
        var table = IDTable(minimumCapacity: 40)
        let ids = (0..<100).map { "cue:\($0)-\($0 + 3)" }
        for id in ids + ids { table.insert(id) }
        #expect(table.count == ids.count)
        for (index, id) in ids.enumerated() { #expect(table.find(id) == index) }
        #expect(IDTable(minimumCapacity: 0).find("a") == nil)
    }

    /// Ids are hashed eight bytes at a time: ids of every length around a word's, that differ in
    /// one byte only (first, last, inside the overlap of the last two words), stay apart.
    @Test func idTableTellsApartIdsDifferingInOneByteAtAnyLength() {
        var ids: [String] = []
        for length in 1...26 {
            let base = Array(String(repeating: "source:12-345", count: 2).utf8.prefix(length))
            ids.append(String(decoding: base, as: UTF8.self))
            for position in [0, length / 2, max(0, length - 9), length - 1] {
                var changed = base
                changed[position] = changed[position] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                ids.append(String(decoding: changed, as: UTF8.self))
            }
        }
        ids = Array(Set(ids)).sorted()
        var table = IDTable()
        for id in ids { table.insert(id) }
        #expect(table.count == ids.count)
        for (index, id) in ids.enumerated() { #expect(table.find(id) == index) }
        #expect(table.find("source:12-345source:12-345!") == nil)
    }

    /// When two annotations carry the id a link points at, the first in the result keeps it; ids
    /// after every target has its carrier are no longer looked up, which must not change that.
    @Test func linksPointAtTheFirstCarrierOfTheirTarget() {
        let annotations = [
            Annotation(id: "t", module: "m", kind: .source, range: 10..<12, text: ""),
            Annotation(id: "t", module: "n", kind: .source, range: 20..<22, text: ""),
            Annotation(id: "u", module: "m", kind: .source, range: 30..<32, text: ""),
            Annotation(module: "m", kind: .cue, range: 0..<2, text: "",
                       links: [AnnotationLink(rel: "source", target: "t"), AnnotationLink(rel: "content", target: "missing")]),
            Annotation(module: "m", kind: .cue, range: 40..<42, text: "", links: [AnnotationLink(rel: "source", target: "u")]),
        ]
        let final = AnnotationPipeline.finalize(annotations)
        #expect(final.map(\.id) == ["cue-1", "source-1", "source-2", "source-3", "cue-2"])
        #expect(final[0].links == [AnnotationLink(rel: "source", target: "source-1")])
        #expect(final[4].links == [AnnotationLink(rel: "source", target: "source-3")])
    }

    /// A module's output is moved onto the annotations collected so far: the same as appending
    /// them, in order, for every size (odd and even: the source is reversed in place first),
    /// leaving the source empty.
    @Test func moveAppendsInOrderAndEmptiesTheSource() {
        func annotations(_ prefix: String, _ count: Int) -> [Annotation] {
            (0..<count).map { index in
                Annotation(id: "\(prefix)\(index)", module: prefix, kind: .source, range: index..<(index + 1),
                           text: "é\(index)", attributes: ["index": .integer(index)],
                           links: [AnnotationLink(rel: "source", target: "x\(index)")])
            }
        }
        for (collectedCount, producedCount) in [(0, 0), (0, 3), (2, 0), (1, 1), (3, 4), (5, 5), (40, 17)] {
            var collected = annotations("c", collectedCount)
            var produced = annotations("p", producedCount)
            let expected = collected + produced
            AnnotationPipeline.move(&produced, to: &collected)
            #expect(collected == expected)
            #expect(produced.isEmpty)
        }
    }

    /// Numbers are written two digits at a time with lengths counted by powers of ten: every
    /// length, both sides of each power of ten, negatives and the extremes read as `String(_:)`.
    @Test func idTextWritesEveryNumberAsStringDoes() {
        var numbers: [Int] = [0, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        for _ in 0..<19 {
            numbers += [power - 1, power, power + 1, -(power - 1), -power, -(power + 1)]
            power = power.multipliedReportingOverflow(by: 10).overflow ? power : power * 10
        }
        numbers += Array(-250...250)
        for number in numbers {
            #expect(IDText.make("cue", UInt8(ascii: "-"), number) == "cue-\(number)")
            #expect(IDText.make("", UInt8(ascii: ":"), number, UInt8(ascii: "+"), 7) == ":\(number)+7")
            #expect(IDText.make("مصدر", UInt8(ascii: ":"), 12, UInt8(ascii: "+"), number) == "مصدر:12+\(number)")
        }
    }

    /// The order is sorted over positions and applied along its cycles: the same as a stable sort
    /// of the annotations themselves, ties (same span, kind and module) in their input order.
    @Test func finalizeOrdersAsAStableSortWould() {
        var generator = SystemRandomNumberGenerator()
        let kinds: [AnnotationKind] = [.source, .cue, .quote, .hedge]
        for size in [0, 1, 2, 3, 7, 40, 200] {
            var input: [Annotation] = []
            for index in 0..<size {
                let start = Int.random(in: 0..<12, using: &generator)
                let end = start + Int.random(in: 1..<4, using: &generator)
                input.append(Annotation(
                    id: "a\(index)", module: ["m", "n"].randomElement(using: &generator)!,
                    kind: kinds.randomElement(using: &generator)!, range: start..<end, text: "",
                    attributes: ["input": .integer(index)]))
            }
            let expected = input.enumerated().sorted { a, b in
                let (x, y) = (a.element, b.element)
                if x.start != y.start { return x.start < y.start }
                if x.end != y.end { return x.end > y.end }
                if x.kind != y.kind { return x.kind < y.kind }
                if x.module != y.module { return x.module < y.module }
                return a.offset < b.offset
            }.map(\.element)
            let final = AnnotationPipeline.finalize(input, distinct: true)
            #expect(final.map(\.attributes) == expected.map(\.attributes))
            // Without `distinct`, only the first of each tie is kept.
            var firsts: [Annotation] = []
            for annotation in expected where firsts.last.map({
                $0.range != annotation.range || $0.kind != annotation.kind || $0.module != annotation.module
            }) ?? true {
                firsts.append(annotation)
            }
            #expect(AnnotationPipeline.finalize(input).map(\.attributes) == firsts.map(\.attributes))
        }
    }

    @Test func idTableInsertTellsTheIndexOfNewAndKnownIds() {
        var table = IDTable(minimumCapacity: 2)
        #expect(table.insert("quote:1+2") == 0)
        #expect(table.insert("source:3+4") == 1)
        #expect(table.insert("quote:1+2") == 0)
        for n in 0..<50 { #expect(table.insert("cue:\(n)+1") == n + 2) }
        #expect(table.insert("source:3+4") == 1)
    }

    @Test func sharedAnalysesMakeEachTypesValueOnce() {
        let shared = SharedAnalyses()
        var made = 0
        #expect(shared.value(of: [Int].self) { made += 1; return [1, 2] } == [1, 2])
        #expect(shared.value(of: [Int].self) { made += 1; return [3] } == [1, 2])
        #expect(shared.value(of: String.self) { made += 1; return "text" } == "text")
        #expect(shared.value(of: String.self) { made += 1; return "other" } == "text")
        #expect(made == 2)
    }

    /// Long slices are copied out of the text, short ones decoded from the bytes: both give the
    /// bytes' text at every length and start, off scalar boundaries (repaired) included, in
    /// English with curly quotes and in Arabic; bytes given apart from the text are what is read.
    @Test func textInARangeIsThatRangesBytes() {
        let text = "The minister said — “the plan is sound” at length. قال الوزير إن الخطة سليمة وإنها ستنفذ قريبا"
        let bytes = Array(text.utf8)
        let request = AnnotationRequest(text: text, language: "en")
        var mismatches = 0
        for lower in 0..<bytes.count {
            for upper in lower...bytes.count
            where request.text(in: lower..<upper) != String(decoding: bytes[lower..<upper], as: UTF8.self) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        let other = Array(String(repeating: "another text, not the one above: ", count: 3).utf8)
        let apart = AnnotationRequest(text: text, utf8: other, language: "en")
        #expect(apart.text(in: 0..<other.count) == String(decoding: other, as: UTF8.self))
    }
}
