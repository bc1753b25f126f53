import Testing
@testable import TextEngine

/// (matched text, category) for each match.
private func found(_ entries: [LexiconEntry], in text: String, wordSets: [String: [String]] = [:],
                   options: Lexicon.Options = Lexicon.Options(), overlapping: Bool = false) throws -> [String] {
    let lexicon = try Lexicon(entries: entries, wordSets: wordSets, options: options)
    let analyzed = AnalyzedText(text)
    return LexiconMatcher(lexicon, overlapping: overlapping).matches(in: analyzed).map {
        "\(analyzed.text(in: $0.range))/\(lexicon.entries[$0.entryIndex].category)"
    }
}

@Suite struct LexiconTests {
    @Test func phraseParsing() {
        #expect(LexiconEntry.parse(phrase: "According to") == [.token("according"), .token("to")])
        #expect(LexiconEntry.parse(phrase: "quoted {0,4} as saying") ==
            [.token("quoted"), .gap(min: 0, max: 4), .token("as"), .token("saying")])
        #expect(LexiconEntry.parse(phrase: "a {2} b") == [.token("a"), .gap(min: 2, max: 2), .token("b")])
        #expect(LexiconEntry.parse(phrase: "نقلاً {0,3} عن") == [.token("نقلا"), .gap(min: 0, max: 3), .token("عن")])
        #expect(LexiconEntry.parse(phrase: "U.S. {x}") == [.token("u.s."), .token("{"), .token("x"), .token("}")])
    }

    @Test func invalidLexicons() {
        #expect(throws: LexiconError.emptyPhrase(entry: 0)) {
            try Lexicon(entries: [LexiconEntry(phrase: " {1,2} ", category: "x")])
        }
        #expect(throws: LexiconError.invalidGap(entry: 0)) {
            try Lexicon(entries: [LexiconEntry(parts: [.token("a"), .gap(min: 3, max: 1), .token("b")], category: "x")])
        }
        #expect(throws: LexiconError.unknownWordSet("colours")) {
            try Lexicon(entries: [LexiconEntry(phrase: "red", category: "x", conditions: [.nextIn(.named("colours"))])])
        }
    }

    @Test func multiWordMatchesMapToExactOffsets() throws {
        let text = "Prices rose, according to the bank, and ACCORDING TO analysts."
        let lexicon = try Lexicon(entries: [LexiconEntry(phrase: "according to", category: "attribution")])
        let analyzed = AnalyzedText(text)
        let matches = lexicon.matches(in: analyzed)
        #expect(matches.map(\.range) == [13..<25, 40..<52])
        #expect(matches.map { analyzed.text(in: $0.range) } == ["according to", "ACCORDING TO"])
        #expect(matches[0].tokens == 3..<5)
        #expect(matches[0].segments == [3..<5])
        #expect(matches[0].entryIndex == 0)
        #expect(matches[0].proclitics.isEmpty && matches[0].procliticLength == 0)
    }

    @Test func longestMatchWins() throws {
        let entries = [
            LexiconEntry(phrase: "it is", category: "short"),
            LexiconEntry(phrase: "it is said", category: "shield"),
            LexiconEntry(phrase: "it is said that he", category: "tooLong"),
        ]
        #expect(try found(entries, in: "It is said that she left. It is late.") == ["It is said/shield", "It is/short"])
        // Equal length: priority, then the entry listed first.
        let tied = [
            LexiconEntry(phrase: "may", category: "first"),
            LexiconEntry(phrase: "may", category: "second", priority: 1),
        ]
        #expect(try found(tied, in: "It may rain") == ["may/second"])
    }

    @Test func gappedMatches() throws {
        let entries = [LexiconEntry(phrase: "quoted {0,3} as saying", category: "cue")]
        let text = "He was quoted by the agency as saying no. She was quoted as saying yes. "
            + "He was quoted by a very old agency as saying so."
        let lexicon = try Lexicon(entries: entries)
        let analyzed = AnalyzedText(text)
        let matches = lexicon.matches(in: analyzed)
        #expect(matches.map { analyzed.text(in: $0.range) } == ["quoted by the agency as saying", "quoted as saying"])
        #expect(matches[0].segments.map { $0.map { analyzed.text(ofToken: $0) } } == [["quoted"], ["as", "saying"]])
        #expect(matches[0].gaps.map { $0.map { analyzed.text(ofToken: $0) } } == [["by", "the", "agency"]])
        #expect(matches[1].gaps.isEmpty && matches[1].segments == [matches[1].tokens])
        // A gap does not cross a sentence end.
        #expect(try found(entries, in: "He was quoted. As saying goes.").isEmpty)
    }

    @Test func entriesWithMoreGapsThanAMatchKeepsAreRejected() throws {
        let four = "a {1} b {0,2} c {1,3} d {2} e"
        let lexicon = try Lexicon(entries: [LexiconEntry(phrase: four, category: "four")])
        let analyzed = AnalyzedText("a x b c y z d x y e")
        let matches = lexicon.matches(in: analyzed)
        #expect(matches.count == 1)
        // The empty gap (between b and c) is left out.
        #expect(matches.first?.gaps == [1..<2, 4..<6, 7..<9])
        #expect(matches.first?.firstGap == 1..<2)
        #expect(matches.first?.segments == [0..<1, 2..<4, 6..<7, 9..<10])
        #expect(throws: LexiconError.tooManyGaps(entry: 1)) {
            try Lexicon(entries: [LexiconEntry(phrase: "a", category: "x"),
                                  LexiconEntry(phrase: four + " {1} f", category: "five")])
        }
        // Adjacent gaps add up to one.
        let merged = LexiconEntry(parts: [.token("a"), .gap(min: 1, max: 1), .gap(min: 0, max: 1), .token("b"),
                                          .gap(min: 1, max: 1), .token("c"), .gap(min: 1, max: 1), .token("d"),
                                          .gap(min: 1, max: 1), .token("e")], category: "merged")
        #expect(try found([merged], in: "a x y b x c x d x e") == ["a x y b x c x d x e/merged"])
    }

    @Test func manyCandidatesAtOnePlace() throws {
        // More candidates and choices than the matcher's scratch lists start with.
        let entries = (1...12).map { LexiconEntry(phrase: Array(repeating: "a", count: $0).joined(separator: " "),
                                                  category: "a\($0)") }
            + (1...12).map { LexiconEntry(phrase: "a", category: "one\($0)", priority: $0 % 3) }
        #expect(try found(entries, in: Array(repeating: "a", count: 13).joined(separator: " "))
            == [Array(repeating: "a", count: 12).joined(separator: " ") + "/a12", "a/one2"])
    }

    /// The matcher against a direct reading of the documented rules, on random lexicons of gapped
    /// phrases over three words: at each place (left to right, matches not overlapping) the
    /// longest match, then priority, then the entry listed first; among the ways one entry
    /// matches to the same end, the one with the shorter gaps first.
    @Test func gappedMatchingAgreesWithADirectReading() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let words = ["a", "b", "c"]
        for _ in 0..<300 {
            var entries: [LexiconEntry] = []
            for _ in 0..<(1 + random(6)) {
                var parts: [LexiconPart] = [.token(words[random(3)])]
                for _ in 0..<random(4) {
                    if random(2) == 0 { parts.append(.gap(min: random(2), max: 1 + random(2))) }
                    parts.append(.token(words[random(3)]))
                }
                entries.append(LexiconEntry(parts: parts, category: "e\(entries.count)", priority: random(2)))
            }
            let tokens = (0..<(1 + random(12))).map { _ in words[random(3)] }
            let lexicon = try Lexicon(entries: entries)
            let analyzed = AnalyzedText(tokens.joined(separator: " "))
            let actual = lexicon.matches(in: analyzed).map { "\($0.entryIndex) \($0.tokens) \($0.gaps)" }

            var expected: [String] = []
            var i = 0
            while i < tokens.count {
                // Every way each entry matches at i, in order: (end, gaps).
                var best: (entry: Int, end: Int, gaps: [Range<Int>])?
                for (e, entry) in entries.enumerated() {
                    func ways(_ part: Int, _ position: Int, _ gaps: [Range<Int>], _ found: inout [(Int, [Range<Int>])]) {
                        guard part < entry.parts.count else { return found.append((position, gaps)) }
                        switch entry.parts[part] {
                        case .token(let word):
                            if position < tokens.count && tokens[position] == word {
                                ways(part + 1, position + 1, gaps, &found)
                            }
                        case .gap(let low, let high):
                            var skip = low
                            while skip <= high && position + skip < tokens.count {
                                ways(part + 1, position + skip, skip == 0 ? gaps : gaps + [position..<(position + skip)],
                                     &found)
                                skip += 1
                            }
                        }
                    }
                    var found: [(Int, [Range<Int>])] = []
                    ways(0, i, [], &found)
                    for (end, gaps) in found {
                        guard let current = best else {
                            best = (e, end, gaps)
                            continue
                        }
                        let better = end != current.end ? end > current.end
                            : entries[e].priority != entries[current.entry].priority
                                ? entries[e].priority > entries[current.entry].priority
                                : e < current.entry
                        if better { best = (e, end, gaps) }
                    }
                }
                if let best {
                    expected.append("\(best.entry) \(i..<best.end) \(best.gaps)")
                    i = best.end
                } else {
                    i += 1
                }
            }
            #expect(actual == expected, "\(entries.map(\.parts)) in \(tokens)")
        }
    }

    @Test func overlappingMode() throws {
        let entries = [LexiconEntry(phrase: "a b", category: "ab"), LexiconEntry(phrase: "b c", category: "bc")]
        #expect(try found(entries, in: "a b c") == ["a b/ab"])
        #expect(try found(entries, in: "a b c", overlapping: true) == ["a b/ab", "b c/bc"])
    }

    // MARK: Arabic

    @Test func procliticsAreStrippedFromTheSpan() throws {
        let entries = [
            LexiconEntry(phrase: "بحسب", category: "cue"),
            LexiconEntry(phrase: "ربما", category: "hedge"),
            LexiconEntry(phrase: "محللين", category: "source", proclitics: .all),
            LexiconEntry(phrase: "الوزير", category: "source"),
        ]
        let text = "وبحسب مصادر، وَرُبَّمَا قال للمحللين والوزير"
        let lexicon = try Lexicon(entries: entries)
        let analyzed = AnalyzedText(text)
        let matches = lexicon.matches(in: analyzed)
        #expect(matches.map { analyzed.text(in: $0.range) } == ["بحسب", "رُبَّمَا", "محللين", "الوزير"])
        #expect(matches.map(\.proclitics) == [.wa, .wa, [.li, .al], .wa])
        #expect(matches.map(\.procliticLength) == [2, 4, 4, 2])
        #expect(matches[1].range.lowerBound == analyzed.tokens[3].start + 4)  // وَ with its fatha stays out
    }

    @Test func wholeWordIsPreferredAndDisallowedProcliticsDoNotMatch() throws {
        let entries = [
            LexiconEntry(phrase: "حسب", category: "bare", proclitics: .all),
            LexiconEntry(phrase: "بحسب", category: "whole"),
            LexiconEntry(phrase: "قال", category: "cue"),
        ]
        // بحسب is in the lexicon: no ب + حسب split. وبحسب: و + بحسب before و + ب + حسب.
        #expect(try found(entries, in: "بحسب وبحسب فحسب") == ["بحسب/whole", "بحسب/whole", "حسب/bare"])
        // بقال (grocer) is not ب + قال: ب is not allowed for قال, and the stem would be what the
        // lexicon has only by accident.
        #expect(try found(entries, in: "بقال وقال") == ["قال/cue"])
        // No split when the entry allows none.
        let strict = [LexiconEntry(phrase: "قال", category: "cue", proclitics: .none)]
        #expect(try found(strict, in: "وقال قال") == ["قال/cue"])
    }

    /// Binding's filters (vocabulary hashes, stem endings) skip only forms that the vocabulary
    /// lacks or none of whose readings could start an entry: what they bind equals what looking
    /// up and splitting every form binds.
    @Test func stemEndingFilterKeepsEveryReadingThatCanMatch() throws {
        let entries = [
            LexiconEntry(phrase: "قد", category: "two-letter", proclitics: .conjunctions),
            LexiconEntry(phrase: "المتحدث", category: "article", proclitics: [.wa, .li]),
            LexiconEntry(phrase: "محللين", category: "source", proclitics: .all),
            LexiconEntry(phrase: "بحسب", category: "cue"),
            LexiconEntry(phrase: "حسب", category: "bare", proclitics: .all),
            LexiconEntry(phrase: "قال {0,2} ان", category: "gapped", proclitics: .all),
            LexiconEntry(phrase: "مصدر", category: "none", proclitics: .none),
            LexiconEntry(phrase: "said", category: "latin", proclitics: .all),
        ]
        let matcher = LexiconMatcher(try Lexicon(entries: entries))
        let texts = [
            "", "وقد قد فقد بقد", "للمتحدث والمتحدث لمتحدث وللمتحدث فللمتحدث", "للمحللين بالمحللين وبمحللين كمحللين",
            "وبحسب فحسب بحسب وحسب", "وقال إنه فقال لهم ان", "ومصدر بمصدر", "said وsaid", "وَقَدْ يَكُونُ",
            "والمحللين ومحللي", "وقا", "ولل", "مصادر وللمتحد", "He said, analysts said ان", "café 3.5% said-so",
        ]
        for text in texts {
            let analyzed = AnalyzedText(text)
            let filtered = matcher.bind(analyzed)
            let general = matcher.bind(analyzed, filtering: false)
            #expect(filtered.forms == general.forms, "\(text)")
            #expect(filtered.binding.splits == general.binding.splits, "\(text)")
            #expect(filtered.binding.splitStart == general.binding.splitStart, "\(text)")
            #expect(filtered.binding.entryStart == general.binding.entryStart, "\(text)")
        }
        // The filter is not vacuous: these texts have readings.
        #expect(!matcher.bind(AnalyzedText("وقد للمتحدث وللمحللين")).binding.splits.isEmpty)
        #expect(try found(entries, in: "وقد للمتحدث فقال له ان") == ["قد/two-letter", "لمتحدث/article", "قال له ان/gapped"])
    }

    @Test func articleElidedAfterLam() throws {
        let entries = [LexiconEntry(phrase: "المتحدث", category: "source", proclitics: [.wa, .li])]
        let text = "للمتحدث"
        let analyzed = AnalyzedText(text)
        let matches = try Lexicon(entries: entries).matches(in: analyzed)
        #expect(matches.count == 1)
        #expect(matches.first?.proclitics == .li)
        #expect(matches.first.map { analyzed.text(in: $0.range) } == "لمتحدث")
    }

    @Test func taMarbutaFoldingIsOptional() throws {
        let entries = [LexiconEntry(phrase: "المحتملة", category: "hedge")]
        #expect(try found(entries, in: "النتائج المحتمله").isEmpty)
        #expect(try found(entries, in: "النتائج المحتمله", options: Lexicon.Options(foldTaMarbuta: true)) ==
            ["المحتمله/hedge"])
        #expect(try found(entries, in: "والمحتملة", options: Lexicon.Options(foldTaMarbuta: true)) == ["المحتملة/hedge"])
    }

    /// The walk skips the lookup of a token no edge reads by its hash: every word after an
    /// entry's first passes the filter, folded ones included.
    @Test func laterWordsPassTheWalksFilter() throws {
        let entries = [LexiconEntry(phrase: "according to", category: "cue"),
                       LexiconEntry(phrase: "quoted {0,3} as saying", category: "cue"),
                       LexiconEntry(phrase: "النتائج المحتملة", category: "hedge")]
        let lexicon = try Lexicon(entries: entries)
        for word in ["to", "as", "saying", "المحتملة"] {
            let id = try #require(lexicon.compiled.vocabulary.find(word))
            #expect(lexicon.compiled.laterWordHashes.mayContain(lexicon.compiled.vocabulary.hashes[Int(id)]), "\(word)")
        }
        #expect(try found(entries, in: "He was quoted by them as saying, according to them") ==
            ["quoted by them as saying/cue", "according to/cue"])
        #expect(try found(entries, in: "النتائج المحتمله", options: Lexicon.Options(foldTaMarbuta: true)) ==
            ["النتائج المحتمله/hedge"])
        #expect(try found(entries, in: "النتائج المحتمله").isEmpty)
    }

    @Test func qadWithImperfectIsAHedgeWithPerfectIsNot() throws {
        let entries = [LexiconEntry(phrase: "قد", category: "hedge", conditions: [.nextIsImperfectVerb])]
        #expect(try found(entries, in: "قد يكون الأمر صعبا") == ["قد/hedge"])
        #expect(try found(entries, in: "وقَدْ تكون") == ["قَدْ/hedge"])
        #expect(try found(entries, in: "قد لا تكون") == ["قد/hedge"])
        #expect(try found(entries, in: "قد قال الوزير").isEmpty)
        #expect(try found(entries, in: "وقد تمّ الاتفاق").isEmpty)
        #expect(try found(entries, in: "قد أعلن").isEmpty)
        #expect(try found(entries, in: "قد.").isEmpty)
        let perfect = [LexiconEntry(phrase: "قد", category: "emphasis", conditions: [.nextIsPerfectVerb])]
        #expect(try found(perfect, in: "قد قال. قد يقول") == ["قد/emphasis"])
    }

    // MARK: Conditions

    @Test func nextInAndNotIn() throws {
        let entries = [
            LexiconEntry(phrase: "may", category: "month", conditions: [.nextIsNumber]),
            LexiconEntry(phrase: "may", category: "modal", conditions: [.nextNotIn(.words(["i", "we"]))]),
        ]
        #expect(try found(entries, in: "On May 5 it may rain. May we go?") == ["May/month", "may/modal"])
        let named = [LexiconEntry(phrase: "early", category: "time", conditions: [.nextIn(.named("months"))])]
        #expect(try found(named, in: "early March, early on") == ["early/time"])
        let custom = [LexiconEntry(phrase: "red", category: "x", conditions: [.nextIn(.named("fruit"))])]
        #expect(try found(custom, in: "red apple red car", wordSets: ["fruit": ["Apple", "pear"]]) == ["red/x"])
    }

    @Test func previousInAndNotIn() throws {
        let entries = [LexiconEntry(phrase: "said", category: "cue", conditions: [.previousNotIn(.words(["so-called"]))])]
        #expect(try found(entries, in: "He said the so-called said thing") == ["said/cue"])
        let after = [LexiconEntry(phrase: "believe", category: "cue", conditions: [.previousIn(.words(["analysts", "experts"]))])]
        #expect(try found(after, in: "Analysts believe it. I believe it.") == ["believe/cue"])
        // No previous token at a sentence start: ...In fails, ...NotIn holds.
        #expect(try found(entries, in: "Said he.") == ["Said/cue"])
    }

    @Test func nextIsNumber() throws {
        let entries = [LexiconEntry(phrase: "about", category: "approximator", conditions: [.nextIsNumber])]
        #expect(try found(entries, in: "about 300 people, about $5, about three, about ٣٠٠, about it") ==
            ["about/approximator", "about/approximator", "about/approximator", "about/approximator"])
        let not = [LexiconEntry(phrase: "about", category: "topic", conditions: [.nextIsNotNumber])]
        #expect(try found(not, in: "about 300, about it") == ["about/topic"])
        let arabic = [LexiconEntry(phrase: "نحو", category: "approximator", conditions: [.nextIsNumber])]
        #expect(try found(arabic, in: "نحو ثلاثة آلاف، نحو ٣٠٠، نحو الحل") == ["نحو/approximator", "نحو/approximator"])
    }

    @Test func sentenceInitialConditions() throws {
        let initial = [LexiconEntry(phrase: "however", category: "x", conditions: [.sentenceInitial])]
        #expect(try found(initial, in: "However, it works. It works, however.") == ["However/x"])
        #expect(try found(initial, in: "“However, no.”") == ["However/x"])
        let notInitial = [LexiconEntry(phrase: "may", category: "modal", conditions: [.notSentenceInitial])]
        #expect(try found(notInitial, in: "May I? It may.") == ["may/modal"])
    }

    @Test func caseSensitiveSurfaceAndCapitalization() throws {
        let entries = [
            LexiconEntry(phrase: "may", category: "month", conditions: [.surface(["May"]), .notSentenceInitial]),
            LexiconEntry(phrase: "may", category: "modal", conditions: [.notSurface(["May", "MAY"])]),
        ]
        #expect(try found(entries, in: "In May it may rain. MAY") == ["May/month", "may/modal"])
        let capitalized = [LexiconEntry(phrase: "reuters", category: "media", conditions: [.capitalized])]
        #expect(try found(capitalized, in: "reuters Reuters") == ["Reuters/media"])
        let lower = [LexiconEntry(phrase: "reuters", category: "x", conditions: [.notCapitalized])]
        #expect(try found(lower, in: "reuters Reuters") == ["reuters/x"])
    }

    @Test func failingConditionFallsBackToAShorterMatch() throws {
        let entries = [
            LexiconEntry(phrase: "is expected", category: "short"),
            LexiconEntry(phrase: "is expected to", category: "long", conditions: [.nextIn(.words(["rise"]))]),
        ]
        #expect(try found(entries, in: "It is expected to fall.") == ["is expected/short"])
        #expect(try found(entries, in: "It is expected to rise.") == ["is expected to/long"])
    }
}
