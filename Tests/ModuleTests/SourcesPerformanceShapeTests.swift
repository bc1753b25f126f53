import AnnotationModel
import RulePacks
import TextEngine
@testable import SourcesModule
import Testing

/// The sources module's precomputed tables say what the strings they replace say.
@Suite struct SourcesPerformanceShapeTests {
    /// `PackEntry` decodes every entry of both packs as the rules used to read it from the match.
    @Test func packEntriesDecodeTheirStrings() throws {
        for pack in try SourcesAnnotator.rulePacks() {
            let table = try #require(SourcesAnnotator.entryTables[pack.language])
            #expect(table.count == pack.lexicon.entries.count)
            for (index, entry) in pack.lexicon.entries.enumerated() {
                let decoded = table[index]
                #expect(decoded.isCue == (pack.entries[index].kind == .cue))
                let categories: [PackEntry.Category: String] = [
                    .verb: "verb", .belief: "belief", .prep: "prep", .quoted: "quoted", .qawl: "qawl",
                    .modifier: "modifier", .pronoun: "pronoun"]
                if let name = categories[decoded.category] {
                    #expect(entry.category == name)
                } else {
                    #expect(!categories.values.contains(entry.category))
                }
                let strengths: [PackEntry.Strength: String] = [.strong: "strong", .weak: "weak", .stance: "stance"]
                switch decoded.strength {
                case .none: #expect(entry.attributes["strength"] == nil)
                case .other: #expect(entry.attributes["strength"].map { !strengths.values.contains($0) } == true)
                default: #expect(entry.attributes["strength"] == strengths[decoded.strength])
                }
                switch decoded.named {
                case .none: #expect(entry.attributes["named"] == nil)
                case .yes: #expect(entry.attributes["named"] == "true")
                case .no: #expect(entry.attributes["named"] == "false")
                case .other: #expect(entry.attributes["named"].map { $0 != "true" && $0 != "false" } == true)
                }
                #expect(decoded.type == entry.attributes["type"])
                // Its index names the same type in the attribute table (-1: none).
                #expect(decoded.typeIndex == (decoded.type.map { SourcesAnnotator.sourceAttributes.types.firstIndex(of: $0) ?? -2 } ?? -1))
                #expect(decoded.needsAn == (entry.attributes["needsAn"] == "true"))
                #expect(decoded.needsSource == (entry.attributes["needsSource"] == "true"))
            }
            // The packs use the values the rules test.
            #expect(table.contains { $0.strength == .strong } || pack.language != .english)
        }
    }

    /// `EnglishSetBits` holds each set's bit as the layout names it.
    @Test func englishSetBitsMatchTheLayout() throws {
        let layout = try #require(SourcesAnnotator.setLayouts[.english])
        let bits = try #require(layout.englishBits)
        #expect(bits.npBreak == layout.bitOfSet["npBreak"] && bits.npBreak != 0)
        #expect(bits.articles == layout.bitOfSet["articles"] && bits.articles != 0)
        #expect(bits.questionAuxiliaries == layout.bitOfSet["questionAuxiliaries"] && bits.questionAuxiliaries != 0)
        // Every field is some set's bit, and no two fields share one unless their sets do.
        let fields = Mirror(reflecting: bits).children.compactMap { child in child.label.map { ($0, child.value as? UInt64) } }
        #expect(fields.count == 44)
        for (name, bit) in fields { #expect(bit == layout.bitOfSet[name], "\(name)") }
    }

    /// `ArabicSetBits` holds each set's bit as the layout names it.
    @Test func arabicSetBitsMatchTheLayout() throws {
        let layout = try #require(SourcesAnnotator.setLayouts[.arabic])
        let bits = try #require(layout.arabicBits)
        let fields = Mirror(reflecting: bits).children.compactMap { child in child.label.map { ($0, child.value as? UInt64) } }
        #expect(fields.count == 15)
        for (name, bit) in fields { #expect(bit == layout.bitOfSet[name] && bit != 0, "\(name)") }
    }

    /// The assumption behind `SetLayout.isNFC`: an Arabic-block scalar marked inert never composes
    /// with an ASCII or Arabic-block scalar before it, so strings of them are in NFC.
    @Test func inertArabicScalarsNeverComposeWithTheirPredecessor() {
        let bases = (0..<0x80).map { UInt32($0) } + (0x600..<0x700).map { UInt32($0) }
        for offset in 0..<0x100 where SetLayout.arabicBlockInert[offset] {
            let scalar = Unicode.Scalar(UInt32(0x600 + offset))!
            for base in bases {
                var pair = String(Character(Unicode.Scalar(base)!))
                pair.unicodeScalars.append(scalar)
                #expect(pair._nfcCodeUnits.elementsEqual(pair.utf8), "U+\(String(base, radix: 16)) U+\(String(0x600 + offset, radix: 16))")
            }
        }
        // The marks combine (ا + U+0654 is أ; fatha is a mark): not inert. أ itself is NFC's form.
        #expect(!SetLayout.arabicBlockInert[0x54] && !SetLayout.arabicBlockInert[0x4E])
        #expect(SetLayout.arabicBlockInert[0x23] && SetLayout.arabicBlockInert[0x27] && SetLayout.arabicBlockInert[0x4A])
        #expect(SetLayout.isNFC(ArraySlice(Array("أكد said".utf8))))
        #expect(!SetLayout.isNFC(ArraySlice(Array("\u{0627}\u{0654}كد".utf8))) && !SetLayout.isNFC(ArraySlice(Array("café".utf8))))
    }

    /// A form's set bits are the same through the byte tables as through the string dictionary,
    /// for the set words themselves and for canonically equivalent spellings of them.
    @Test func setBitsByBytesAgreeWithTheStringLookup() throws {
        for language in [Language.english, .arabic] {
            let layout = try #require(SourcesAnnotator.setLayouts[language])
            var forms = FormTable()
            var words: [String] = []
            for word in layout.bitsOfWord.keys {
                words.append(word)
                // Decomposed: `رئيس` as ري + U+0654 + يس, `é` as e + U+0301.
                words.append(String(decoding: word.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
                    switch scalar.value {
                    case 0x0623: ["\u{0627}", "\u{0654}"]
                    case 0x0626: ["\u{064A}", "\u{0654}"]
                    case 0x00E9: ["e", "\u{0301}"]
                    default: [scalar]
                    }
                }.map { String($0) }.joined().utf8, as: UTF8.self))
            }
            words += ["قالوا", "المسؤولين", "said", "Officials", "\u{0627}\u{0654}كد", "أكد", "zebra", "café", "naïve", "x"]
            for word in words { _ = forms.intern(word) }
            // Both orders of the ASCII word lookup and the ASCII test (`asciiWordsFirst`).
            for asciiWordsFirst in [false, true] {
                var ordered = layout
                ordered.asciiWordsFirst = asciiWordsFirst
                let cache = FormSetCache(layout: ordered, forms: forms)
                for id in 0..<forms.count {
                    #expect(cache.bits(of: Int32(id)) == layout.bitsOfWord[forms.string(id)] ?? 0, "\(forms.string(id))")
                }
            }
        }
    }

    /// The fixed words found through `FixedWord.table` are the ids their strings find: in a text
    /// with all of them, one with some (and non-ASCII forms), an Arabic text, and an empty one.
    @Test func fixedWordsThroughTheTableAgreeWithTheStrings() {
        let all = FixedWord.allCases.map(\.text).joined(separator: " x ")
        let texts = [all, "He said, by the way (in June), that ‘it’s one—of them’ — café.", "قال المسؤول إن", "", "ing"]
        for text in texts {
            let forms = AnnotationRequest(text: text, language: text.contains("قال") ? .arabic : .english).analyzed.forms
            for word in FixedWord.allCases {
                #expect(forms.find(formOf: word.rawValue, in: FixedWord.table) == forms.find(word.text), "\(word) in \(text)")
            }
        }
        #expect(FixedWord.table.count == FixedWord.allCases.count)
        #expect(FixedWord.allCases.allSatisfy { FixedWord.table.string($0.rawValue) == $0.text })
    }

    /// The written-out plural-subject test agrees with `ArabicMorphology`'s.
    @Test func pluralSubjectAgreesWithMorphology() {
        for word in ["قالوا", "يقولون", "قال", "وا", "ون", "اكدوا", "يؤكدون", "قالت", "ذكروا", "said", "", "abcdefwa", "مسؤولون"] {
            let bytes = ArraySlice(Array(word.utf8))
            #expect(ArabicAttribution.endsInPluralSubject(bytes) == ArabicMorphology.endsInPluralSubject(normalized: bytes), "\(word)")
            let sliced = ArraySlice(Array(("xx" + word).utf8)).dropFirst(2)
            #expect(ArabicAttribution.endsInPluralSubject(sliced) == ArabicMorphology.endsInPluralSubject(normalized: sliced), "\(word)")
        }
    }

    /// `formSequences` through the layout's sequence tables gives what resolving every word of
    /// every entry as a string gives.
    @Test func sequencesThroughTheLayoutAgreeWithStrings() throws {
        let texts: [(Language, String, String)] = [
            (.arabic, "قال مصدر لم تكشف عن هويتها إن الاجتماع تأجل. وقال مسؤول طلب عدم ذكر اسمه إنه لم يذكر اسمه.", "unnamedRelative"),
            (.arabic, "قال الوزير إن الاجتماع تأجل.", "unnamedRelative"),
            (.english, "A new poll shows the race tied, and the survey found more.", "pollNouns"),
            (.english, "Nobody counted the votes in the state.", "pollNouns"),
            (.english, "", "pollNouns"),
        ]
        for (language, text, name) in texts {
            let pack = try #require(try SourcesAnnotator.packs.get()[language])
            let layout = try #require(SourcesAnnotator.setLayouts[language])
            #expect(layout.sequences[name] != nil)
            var plain = layout
            plain.sequences = [:]
            let analyzed = AnnotationRequest(text: text, language: language).analyzed
            func context(_ layout: SetLayout) -> AttributionContext {
                AttributionContext(
                    text: analyzed, pack: pack, sets: SourcesAnnotator.normalizedSets[language] ?? [:], layout: layout,
                    entryTable: PackEntry.table(for: pack), extraWords: [])
            }
            let viaTable = context(layout).formSequences(name)
            #expect(viaTable == context(plain).formSequences(name), "\(text)")
            // `hasSequence` says whether there is one, through the table and without it.
            #expect(context(layout).hasSequence(name) == !viaTable.isEmpty, "\(text)")
            #expect(context(plain).hasSequence(name) == !viaTable.isEmpty, "\(text)")
            #expect(!viaTable.isEmpty || text.contains("الوزير") || !text.contains("poll"))
        }
    }

    /// `NameForms` reading a window of paragraphs answers as its index does.
    @Test func nameFormsScanAgreesWithTheIndex() {
        let text = """
            The Post reported it. Trump said the Post was wrong, and trump cards were played.

            Prices rose. Stein said prices would fall; Stein, 42, disagreed with THE Post.
            1 Stein 2 Post. "Post" said Clinton.

            Clinton spoke. The clinton campaign and Mr. Stein met the Post.

            Post
            """
        let analyzed = AnnotationRequest(text: text, language: .english).analyzed
        let scanning = NameForms(text: analyzed)
        scanning.scanLimit = .max
        let indexed = NameForms(text: analyzed)
        indexed.scanLimit = 0
        var asked = 0
        for t in analyzed.tokens.indices {
            for f in Set(analyzed.tokens.map(\.form)).sorted() + [-2] {
                #expect(scanning.isName(f, at: t) == indexed.isName(f, at: t), "\(f) at \(t)")
                #expect(scanning.isNeverLowercase(f, at: t) == indexed.isNeverLowercase(f, at: t), "\(f) at \(t)")
                asked += 1
            }
        }
        #expect(asked > 100)
        // Some answers are yes, some no.
        // `trump cards` in the same paragraph: not a name there.
        let trump = Int32(analyzed.forms.find("trump")!)
        let trumpAt = analyzed.tokens.firstIndex { $0.form == trump }!
        #expect(!indexed.isName(trump, at: trumpAt))
        let stein = Int32(analyzed.forms.find("stein")!)
        let steinAt = analyzed.tokens.firstIndex { $0.form == stein }!
        #expect(indexed.isName(stein, at: steinAt))
    }

    /// `SpanSet` says what a `Set<Range<Int>>` says, filled to its capacity, with repeats, empty
    /// and negative spans, and spans that differ in one bound.
    @Test func spanSetAgreesWithASet() {
        var generator = SystemRandomNumberGenerator()
        for capacity in [0, 1, 3, 4, 5, 16, 100] {
            var spans: [Range<Int>] = []
            while spans.count < capacity {
                let start = Int.random(in: -3...40, using: &generator)
                spans.append(start..<(start + Int.random(in: 0...4, using: &generator)))
            }
            // Repeats come after their first insert, and the set is never given more distinct spans
            // than its capacity.
            let inserts = spans + spans.prefix(3)
            var reference = Set<Range<Int>>()
            SpanSet.withSpanSet(capacity: capacity) { set in
                for span in inserts {
                    #expect(set.insert(span) == reference.insert(span).inserted, "\(span)")
                }
            }
        }
        // Bounds that differ in one place, and the sentinel's neighbours.
        let edge: [Range<Int>] = [0..<1, 0..<2, 1..<2, 0..<0, (Int.min + 1)..<0, -1..<0, 0..<Int.max, 0..<1]
        var reference = Set<Range<Int>>()
        SpanSet.withSpanSet(capacity: edge.count) { set in
            for span in edge { #expect(set.insert(span) == reference.insert(span).inserted, "\(span)") }
        }
    }

    /// Each pack entry's `CueCategory` names the entry's category, and the fixed cases are exactly
    /// the names they stand for.
    @Test func cueCategoriesNameTheirEntries() throws {
        for pack in try SourcesAnnotator.rulePacks() {
            for (index, entry) in pack.lexicon.entries.enumerated() {
                let category = CueCategory(entry: index, named: entry.category)
                #expect(category.name(in: pack) == entry.category)
                let fixed: [CueCategory: String] = [.verb: "verb", .belief: "belief", .noun: "noun", .prep: "prep", .layout: "layout"]
                if let name = fixed[category] { #expect(entry.category == name) } else { #expect(!fixed.values.contains(entry.category)) }
            }
        }
    }

    /// A `Cue` keeps what the rules read of its `LexiconMatch`: range, tokens, entry, the first
    /// gap and the first segment.
    @Test func cuesKeepTheirMatches() throws {
        let texts: [(Language, String)] = [
            (.english, "The paper quoted officials as saying the plan failed. Smith said so, according to the report."),
            (.english, "The agency quoted a senior official in Kabul as saying that talks had ended."),
            (.arabic, "ونقلت الوكالة عن مسؤولين روس قولهم إن المحادثات انتهت. وقال الوزير إن الاجتماع تأجل."),
        ]
        var gapped = 0
        for (language, text) in texts {
            let pack = try #require(try SourcesAnnotator.packs.get()[language])
            let entryTable = try #require(SourcesAnnotator.entryTables[language])
            let analyzed = AnnotationRequest(text: text, language: language).analyzed
            let matches = pack.lexicon.matches(in: analyzed).filter { entryTable[$0.entryIndex].isCue }
            let context = AttributionContext(
                text: analyzed, pack: pack, sets: SourcesAnnotator.normalizedSets[language] ?? [:],
                layout: try #require(SourcesAnnotator.setLayouts[language]), entryTable: entryTable, extraWords: [])
            #expect(context.cues.count == matches.count && !matches.isEmpty)
            for (cue, match) in zip(context.cues, matches) {
                #expect(cue.range == match.range && cue.tokens == match.tokens && cue.entryIndex == match.entryIndex)
                #expect(cue.firstGap == match.gaps.first)
                #expect(cue.firstSegment == match.segments[0])
                #expect(cue.category.name(in: pack) == pack.lexicon.entries[match.entryIndex].category)
                if !match.gaps.isEmpty { gapped += 1 }
            }
        }
        #expect(gapped > 0)
    }

    /// An unnamed relative found through the layout's table of relative words has the length the
    /// relatives resolved in the text give, at every token.
    @Test func relativesThroughTheTableAgreeWithTheSetWords() throws {
        let texts = [
            "قال مصدر لم تكشف عن هويتها إن الاجتماع تأجل. وقال مسؤول طلب عدم ذكر اسمه إنه لم يذكر اسمه.",
            "وقالت مصادر لم تحدد هويتها لم تكشف عن هويتها إن الطريق مغلق، لم",
            "قال الوزير إن الاجتماع تأجل.",
        ]
        let pack = try #require(try SourcesAnnotator.packs.get()[.arabic])
        let layout = try #require(SourcesAnnotator.setLayouts[.arabic])
        #expect(layout.unnamedRelatives != nil)
        var plain = layout
        plain.unnamedRelatives = nil
        var found = 0
        for text in texts {
            let analyzed = AnnotationRequest(text: text, language: .arabic).analyzed
            func rules(_ layout: SetLayout) -> ArabicAttribution {
                ArabicAttribution(AttributionContext(
                    text: analyzed, pack: pack, sets: SourcesAnnotator.normalizedSets[.arabic] ?? [:], layout: layout,
                    entryTable: PackEntry.table(for: pack), extraWords: []))
            }
            let viaTable = rules(layout)
            let viaWords = rules(plain)
            for t in analyzed.tokens.indices {
                let length = viaTable.relativeLength(at: t)
                #expect(length == viaWords.relativeLength(at: t), "\(text) at \(t)")
                if length != nil { found += 1 }
            }
        }
        #expect(found >= 3)
    }

    /// The suffix shapes (and the hyphen) say what the form's bytes say.
    @Test func formShapesAgreeWithTheBytes() {
        let words = ["-", "early-morning", "ing", "saying", "ed", "added", "ly", "only", "says", "s", "isn't", "he's",
                     "officials'", "Trump's", "we've", "they'll", "I'd", "I'm", "co-editor", "—", "قال", "", "'s", "ly", "n't",
                     "don't", "you're", "'ll", "ands", "a-", "ring", "'d"]
        var forms = FormTable()
        for word in words { _ = forms.intern(word) }
        let shapes = FormShapeCache(forms: forms)
        for id in 0..<forms.count {
            let bytes = Array(forms.bytes(id))
            let shape = shapes.shape(of: Int32(id))
            func ends(_ suffix: String) -> Bool { bytes.count > suffix.utf8.count && bytes.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }
            #expect(shape.contains(.hyphenated) == bytes.contains(0x2D), "\(forms.string(id))")
            #expect(shape.contains(.ing) == ends("ing"), "\(forms.string(id))")
            #expect(shape.contains(.ed) == ends("ed"), "\(forms.string(id))")
            #expect(shape.contains(.possessive) == ends("'s"), "\(forms.string(id))")
            #expect(shape.contains(.ly) == ends("ly"), "\(forms.string(id))")
            #expect(shape.contains(.s) == ends("s"), "\(forms.string(id))")
            let clitic = ["n't", "'ve", "'re", "'ll", "'d", "'m"].contains { ends($0) }
            #expect(shape.contains(.clitic) == clitic, "\(forms.string(id))")
        }
    }

    /// A normalized word that need not be in the text is in a set through the NFC byte table
    /// exactly when the string dictionary says so: set words, decomposed spellings, stems, and
    /// bytes that are not UTF-8.
    @Test func normalizedWordsAgreeWithTheStringLookup() throws {
        for language in [Language.english, .arabic] {
            let layout = try #require(SourcesAnnotator.setLayouts[language])
            var words: [[UInt8]] = layout.bitsOfWord.keys.map { Array($0.utf8) }
            words += ["\u{0627}\u{0654}كد", "أكد", "الحاجة", "حاجة", "e\u{0301}", "é", "said", ""].map { Array($0.utf8) }
            words += [[0xD9], [0xD9, 0x84, 0xD8], [0xFF, 0x41], [0xD8, 0x41]]
            let cache = FormSetCache(layout: layout, forms: FormTable())
            for (_, bit) in layout.bitOfSet {
                let set = FormSet(cache: cache, bit: bit)
                for word in words {
                    let expected = (layout.bitsOfWord[String(decoding: word, as: UTF8.self)] ?? 0) & bit != 0
                    #expect(set.contains(normalizedForm: word) == expected, "\(word)")
                }
            }
        }
    }

    /// The table of sources' attributes holds every type the packs give, once, and gives the
    /// dictionary a source of that type and naming has at the type's index.
    @Test func sourceAttributesByType() throws {
        let table = SourcesAnnotator.sourceAttributes
        var types = ["person", "organization", "media", "government", "document", "group", "unknown"]
        for pack in try SourcesAnnotator.rulePacks() {
            types += pack.lexicon.entries.compactMap { $0.attributes["type"] }
        }
        for type in types {
            let index = try #require(table.types.firstIndex(of: type), "\(type)")
            for named in [false, true] {
                #expect(table.attributes(named: named, typeIndex: index) == ["named": .bool(named), "type": .string(type)], "\(type)")
            }
        }
        #expect(Set(table.types).count == table.types.count)
        // The types the rules name by index.
        typealias Table = SourcesAnnotator.SourceAttributeTable
        let named = [Table.person: "person", Table.organization: "organization", Table.unknown: "unknown",
                     Table.media: "media", Table.group: "group", Table.document: "document"]
        for (index, type) in named {
            #expect(table.types[index] == type)
        }
    }
}
