import Testing
@testable import TextEngine

@Suite struct NormalizerTests {
    @Test func arabicLettersAreUnified() {
        #expect(TextNormalizer.normalize("أحمد إلى آخر ٱلله مستشفى") == "احمد الي اخر الله مستشفي")
        #expect(TextNormalizer.normalize("مُحْتَمَلٌ وفقًا") == "محتمل وفقا")
        #expect(TextNormalizer.normalize("كـــبير") == "كبير")
        #expect(TextNormalizer.normalize("ی ک") == "ي ك")
        // ة stays: folding it is a matching option.
        #expect(TextNormalizer.normalize("المحتملة") == "المحتملة")
        #expect(TextNormalizer.foldTaMarbuta("المحتملة") == "المحتمله")
    }

    @Test func caseApostrophesAndDigits() {
        #expect(TextNormalizer.normalize("It’s THE U.S. ٢٠٢٤") == "it's the u.s. 2024")
        #expect(TextNormalizer.forms(of: "According to") == ["according", "to"])
    }

    /// Normalization never changes the text: every form maps back to the exact original bytes.
    @Test func formsMapBackToTheOriginal() {
        let text = "«قالَ المُتَحَدِّثُ بِاسْمِ الوزارة» — It’s ١٠٪"
        let analyzed = AnalyzedText(text)
        #expect(analyzed.text == text)
        let rebuilt = analyzed.tokens.map { String(decoding: Array(text.utf8)[$0.range], as: UTF8.self) }
        #expect(rebuilt == ["«", "قالَ", "المُتَحَدِّثُ", "بِاسْمِ", "الوزارة", "»", "—", "It’s", "١٠٪"])
        #expect(analyzed.tokens.indices.map { analyzed.form(ofToken: $0) } ==
            ["«", "قال", "المتحدث", "باسم", "الوزارة", "»", "—", "it's", "10%"])
    }

    @Test func identicalFormsShareAnID() {
        let analyzed = AnalyzedText("قالَ قال قَالَ Said said SAID")
        #expect(Set(analyzed.tokens[0..<3].map(\.form)).count == 1)
        #expect(Set(analyzed.tokens[3..<6].map(\.form)).count == 1)
        #expect(analyzed.forms.count == 2)
        #expect(analyzed.forms.find("said") == Int(analyzed.tokens[3].form))
    }
}

@Suite struct ArabicMorphologyTests {
    private func splits(_ word: String) -> [String] {
        let analyzed = AnalyzedText(word)
        return analyzed.procliticSplits(ofToken: 0).map { "\($0.proclitics)|\($0.stem)" }
    }

    @Test func procliticCombinations() {
        #expect(splits("وبحسب").prefix(2) == ["و|بحسب", "و+ب|حسب"])
        #expect(splits("للمحللين").contains("ل+ال|محللين"))
        #expect(splits("للمحللين").contains("ل|المحللين"))
        #expect(splits("والوزير").contains("و|الوزير"))
        #expect(splits("والوزير").contains("و+ال|وزير"))
        #expect(splits("فبالتالي").contains("ف+ب+ال|تالي"))
        #expect(splits("وكالمعتاد").contains("و+ك+ال|معتاد"))
    }

    @Test func noSplitLeavesATooShortStem() {
        // و + قد is fine (a conjunction before a two-letter particle) ...
        #expect(splits("وقد") == ["و|قد"])
        // ... but a preposition or article needs three letters left: بان is not ب + ان.
        #expect(splits("بان").isEmpty)
        #expect(splits("الى").isEmpty)
        #expect(splits("من").isEmpty)
        #expect(splits("said").isEmpty)
    }

    @Test func stemOffsetSkipsTheProcliticAndItsDiacritics() {
        let text = "x وَبِحَسَبِ"
        let analyzed = AnalyzedText(text)
        let split = analyzed.procliticSplits(ofToken: 1)[0]
        #expect(split.proclitics == .wa)
        #expect(split.letterCount == 1)
        #expect(analyzed.text(in: split.stemStart..<analyzed.tokens[1].end) == "بِحَسَبِ")
        let article = AnalyzedText("للمتحدث").procliticSplits(ofToken: 0).first { $0.stem == "المتحدث" }
        #expect(article?.proclitics == .li)
        #expect(article?.stemStart == 2)  // the second ل stands for the article
    }

    @Test func pluralSubjectEndings() {
        for plural in ["قالوا", "يقولون", "وأكدوا"] {
            #expect(ArabicMorphology.endsInPluralSubject(normalized: TextNormalizer.normalize(plural).utf8), "\(plural)")
        }
        for singular in ["قال", "أضاف", "كون", "دعا"] {
            #expect(!ArabicMorphology.endsInPluralSubject(normalized: TextNormalizer.normalize(singular).utf8), "\(singular)")
        }
    }

    @Test func verbAspect() {
        for imperfect in ["يكون", "تكون", "يمكن", "نعمل", "سيكون", "ويقول", "يُعتقد", "يرى", "سأكون"] {
            #expect(ArabicMorphology.verbAspect(ofForm: TextNormalizer.normalize(imperfect)) == .imperfect, "\(imperfect)")
        }
        for perfect in ["قال", "تمّ", "تمت", "أعلن", "ذكرت", "نفى", "نقلت", "كان", "وقال", "تراجعت", "ساعد", "ساهم", "ساهمت"] {
            #expect(ArabicMorphology.verbAspect(ofForm: TextNormalizer.normalize(perfect)) == .perfect, "\(perfect)")
        }
        // With an object pronoun on: the perfect's own ending is under it (نقلت + ه), the
        // imperfect keeps its prefix (تنقل + ه، ننقل + ها).
        for perfect in ["نقلته", "تركته", "نشرتها", "نقلوه", "تلقيتها"] {
            #expect(ArabicMorphology.verbAspect(ofForm: TextNormalizer.normalize(perfect)) == .perfect, "\(perfect)")
        }
        for imperfect in ["تنقله", "ننقلها", "يقولها", "تتركه", "نقوله"] {
            #expect(ArabicMorphology.verbAspect(ofForm: TextNormalizer.normalize(imperfect)) == .imperfect, "\(imperfect)")
        }
        for unknown in ["الوزير", "قد", "لا", "في", "said"] {
            #expect(ArabicMorphology.verbAspect(ofForm: TextNormalizer.normalize(unknown)) == .unknown, "\(unknown)")
        }
        let analyzed = AnalyzedText("قد يَكُونُ")
        #expect(analyzed.verbAspect(ofToken: 1) == .imperfect)
    }
}

@Suite struct CliticReadingTests {
    /// Lexicons skip clitic readings for texts without Arabic tokens: only Arabic words have them.
    @Test func onlyTextsWithArabicHaveCliticReadings() throws {
        let matcher = LexiconMatcher(try Lexicon(entries: [
            LexiconEntry(phrase: "قال", category: "cue", proclitics: .all),
            LexiconEntry(phrase: "said", category: "cue", proclitics: .all),
        ]))
        for text in ["He said so, U.S. officials said.", "café 3.5% «quoted» — ok", "", "x \u{200C}y ١٢٣ ٪"] {
            let analyzed = AnalyzedText(text)
            #expect(!analyzed.hasArabic, "\(text)")
            #expect(matcher.bind(analyzed, filtering: false).binding.splits.isEmpty, "\(text)")
        }
        for text in ["وقال الوزير", "said وبحسب", "ـ", "\u{064E}"] {
            #expect(AnalyzedText(text).hasArabic, "\(text)")
        }
        #expect(!matcher.bind(AnalyzedText("وقال الوزير للمحللين")).binding.splits.isEmpty)
    }
}

@Suite struct FormTableTests {
    @Test func idsAreDenseAndStableAcrossGrowth() {
        var table = FormTable(capacity: 4)
        for i in 0..<5000 { #expect(table.intern("w\(i)") == i) }
        #expect(table.count == 5000)
        #expect(table.intern("w1234") == 1234)
        #expect(table.find("w4999") == 4999)
        #expect(table.find("nope") == nil)
        #expect(table.string(42) == "w42")
        #expect(table.intern("") == 5000)
        #expect(table.find("") == 5000)
    }

    /// The tokenizer interns into a `FormTable.Builder` (plain ASCII words folded as they are
    /// compared and copied, the rest through its scratch form) and hands over a `FormTable`: the
    /// same form gets one id however it is spelled and whichever way it came in, ids are dense in
    /// order of first appearance through every growth, and the table finds each form by its bytes.
    @Test func tokenizerFormsMatchAnInternedTable() {
        var words: [String] = []
        for i in 0..<3000 {
            // Letters only, so each takes the tokenizer's ASCII path: w + i in base 26.
            var word = "w"
            var n = i
            repeat {
                word.append(Character(Unicode.Scalar(UInt8(97 + n % 26))))
                n /= 26
            } while n > 0
            words.append(word)
        }
        // Short texts (tables that start small and grow many times) and a long one.
        for text in ["Said said SAID sAiD, said U.S. it's Über über ÜBER قال وقال said",
                     // Arabic letters taken 32 at a time, normalized, marks and tatweel dropped,
                     // a ZWNJ and a letter outside U+0621–U+064A (ڤ, ی) taking the general way.
                     "قـــال قَالَ أحمد احمد إلى الي مستشفى مستشفي \(String(repeating: "ب", count: 70)) ڤيديو می\u{200C}خواهم ،قال",
                     words.joined(separator: " ") + " " + words.reversed().map { $0.uppercased() }.joined(separator: " ")] {
            let analyzed = AnalyzedText(text)
            var expected = FormTable(capacity: 4)
            for index in analyzed.tokens.indices {
                let form = analyzed.form(ofToken: index)
                #expect(expected.intern(form) == Int(analyzed.tokens[index].form), "\(form)")
                #expect(analyzed.forms.find(form) == Int(analyzed.tokens[index].form), "\(form)")
            }
            #expect(analyzed.forms.count == expected.count)
        }
        let analyzed = AnalyzedText("Said said SAID sAiD, Über über")
        #expect(Set(analyzed.tokens[0..<4].map(\.form)).count == 1)
        #expect(analyzed.tokens[5].form == analyzed.tokens[6].form)
        #expect(analyzed.forms.string(Int(analyzed.tokens[0].form)) == "said")
    }
}
