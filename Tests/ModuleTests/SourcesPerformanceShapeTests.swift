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
            words += ["قالوا", "المسؤولين", "said", "Officials", "\u{0627}\u{0654}كد", "أكد"]
            for word in words { _ = forms.intern(word) }
            let cache = FormSetCache(layout: layout, forms: forms)
            for id in 0..<forms.count {
                #expect(cache.bits(of: Int32(id)) == layout.bitsOfWord[forms.string(id)] ?? 0, "\(forms.string(id))")
            }
        }
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
            #expect(!viaTable.isEmpty || text.contains("الوزير"))
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
}
