import TextEngine

/// English cue → source: the subject to the left of a reporting verb (`officials said`, `Flynn,
/// a Trump surrogate, said`, `he said`), the noun phrase to its right when the verb comes first
/// (`“...,” said the minister`), after `according to` / `citing`, and inside `quoted X as saying`.
/// Noun-phrase boundaries come from the pack's word sets: `npBreak` words are never crossed,
/// `innerPreposition`s only between two noun-like words.
///
/// A class: its sets each hold the text's `FormSetCache`, and a struct of them was retained and
/// released set by set whenever it was copied (into a closure, into a helper).
final class EnglishAttribution {
    let c: AttributionContext
    let skipBeforeCue: FormSet
    let time: FormSet
    let npBreak: FormSet
    let innerPreposition: FormSet
    let leadTrim: FormSet
    let determiners: FormSet
    let pronouns: FormSet
    /// `he's`, `they've`: a pronoun subject with its auxiliary in one token (`He’s claiming`).
    let contractedPronouns: FormSet
    /// Verbs that are not past forms yet put their subject after them (`says Jones`, `told`).
    let inverting: FormSet
    /// Verbs whose voice follows them after a comma closing what was said (`..., said Batchelder.`),
    /// where a noun phrase after `told`, `cited`, `warned` is their object.
    let invertsAfterContent: FormSet
    /// `him`, `them`: a pronoun after `to` (`those close to him say`), not a verb.
    let objectPronouns: FormSet
    /// Plural subjects without a final `s` (`people`, `police`, `we`, `who`), which a bare verb
    /// form agrees with.
    let pluralWithoutS: FormSet
    /// `many`, `several`, `few`, `both`: quantifiers that make a plural noun phrase.
    let pluralQuantifiers: FormSet
    /// Words that open an adverbial before the subject even when capitalized (`In 1986,`).
    let introductory: FormSet
    /// `number`, `group`, `dozens`: a quantity whose noun comes after `of`.
    let quantityHeads: FormSet
    /// `poll`, `survey`: documents whose figures `in` attributes (`In this poll, Trump rose`).
    let pollNouns: FormSet
    /// `despite`, `from`, `after`: prepositions before a gerund (`despite admitting`).
    let gerundPrepositions: FormSet
    /// Words after which a cue's form is a noun (`no doubt`, `more details`) or no new voice
    /// (`Having said that`).
    let nounMarkers: FormSet
    /// `said`, `told`: past forms that are never nouns.
    let irregularPast: FormSet
    let titles: FormSet
    let complement: FormSet
    let be: FormSet
    let conjunctions: FormSet
    /// `though`, `but`: a clause they open stands against what was said, in the writer's voice.
    let contrastive: FormSet
    let nounAfter: FormSet
    let adverbNotLy: FormSet
    let infinitive: FormSet
    let articles: FormSet
    let introducesContent: FormSet
    let progressive: FormSet
    let speakerDash: FormSet
    let closingQuote: FormSet
    let openingQuote: FormSet
    let colonStop: FormSet
    let comma: Int32
    let colon: Int32
    let openParen: Int32
    let closeParen: Int32
    let period: Int32
    let by: Int32
    let what: Int32
    let into: Int32
    let inWord: Int32
    let that: Int32
    let who: Int32
    let of: Int32
    let like: Int32
    let and: Int32
    let or: Int32
    let slash: Int32
    let one: Int32
    let from: Int32
    let on: Int32
    let worth: Int32
    let without: Int32
    let raisingVerbs: FormSet
    let goForms: FormSet
    let passivePrepositions: FormSet
    let adverbialOpeners: FormSet
    /// `Proponents, including the mayors,`: who they are, part of the voice.
    let including: Int32
    let contributed: Int32
    let which: Int32
    let whom: Int32
    let through: Int32
    let semicolon: Int32
    /// `claim`, `claims`: nouns that name what someone said when a content follows.
    let claimNouns: FormSet
    /// `his`, `her`, `their`, `its`.
    let possessivePronouns: FormSet
    let to: Int32
    /// What one calls without saying anything: `a meeting`, `an election`, `a strike`.
    let summoned: FormSet
    /// `called`, `calls`, `calling`: the forms of the verb that summons.
    let callForms: FormSet
    let know: Int32
    let compoundNounHeads: FormSet
    let questionAuxiliaries: FormSet
    /// The form `-` (a hyphen standing alone) and the form `ing`: a form is one of them exactly
    /// when its bytes are, so no bytes are read to test it.
    let hyphen: Int32
    let ingForm: Int32

    /// The longest noun phrase a source may be, in tokens.
    static let maxPhrase = 14
    /// The longest apposition between commas (`Flynn, a top Trump surrogate, said`).
    static let maxApposition = 24
    /// The longest relative clause between commas (`Dr. Connie Mariano, who as a Navy captain was
    /// ... and later retired from the service as a rear admiral, said`): `who` marks it, so it may
    /// run longer than an apposition without swallowing a clause of the writer's.
    static let maxRelativeClause = 40

    /// The direct quotations whose words are someone else's (`SourcesAnnotator` drops the voices
    /// inside them): a cue there neither opens a reported content nor lends its voice.
    let quotations: [Quotation]
    /// The suffixes of the text's forms, which only the English rules test (made here, not in the
    /// context, so an Arabic text allocates and clears none).
    let shapes: FormShapeCache

    init(_ c: AttributionContext, quotations: [Quotation] = []) {
        self.c = c
        self.quotations = quotations
        shapes = FormShapeCache(forms: c.text.forms)
        // The sets' bits by name, resolved once per layout rather than per text.
        let bits = c.cache.layoutBox.layout.englishBits ?? EnglishSetBits(c.cache.layoutBox.layout)
        skipBeforeCue = FormSet(cache: c.cache, bit: bits.skipBeforeCue)
        time = FormSet(cache: c.cache, bit: bits.time)
        npBreak = FormSet(cache: c.cache, bit: bits.npBreak)
        innerPreposition = FormSet(cache: c.cache, bit: bits.innerPreposition)
        leadTrim = FormSet(cache: c.cache, bit: bits.leadTrim)
        determiners = FormSet(cache: c.cache, bit: bits.determiners)
        pronouns = FormSet(cache: c.cache, bit: bits.pronouns)
        contractedPronouns = FormSet(cache: c.cache, bit: bits.contractedPronouns)
        inverting = FormSet(cache: c.cache, bit: bits.inverting)
        invertsAfterContent = FormSet(cache: c.cache, bit: bits.invertsAfterContent)
        objectPronouns = FormSet(cache: c.cache, bit: bits.objectPronouns)
        pluralWithoutS = FormSet(cache: c.cache, bit: bits.pluralWithoutS)
        pluralQuantifiers = FormSet(cache: c.cache, bit: bits.pluralQuantifiers)
        introductory = FormSet(cache: c.cache, bit: bits.introductory)
        quantityHeads = FormSet(cache: c.cache, bit: bits.quantityHeads)
        pollNouns = FormSet(cache: c.cache, bit: bits.pollNouns)
        gerundPrepositions = FormSet(cache: c.cache, bit: bits.gerundPrepositions)
        nounMarkers = FormSet(cache: c.cache, bit: bits.nounMarkers)
        irregularPast = FormSet(cache: c.cache, bit: bits.irregularPast)
        titles = FormSet(cache: c.cache, bit: bits.titles)
        complement = FormSet(cache: c.cache, bit: bits.complement)
        be = FormSet(cache: c.cache, bit: bits.be)
        conjunctions = FormSet(cache: c.cache, bit: bits.conjunctions)
        contrastive = FormSet(cache: c.cache, bit: bits.contrastive)
        nounAfter = FormSet(cache: c.cache, bit: bits.nounAfter)
        adverbNotLy = FormSet(cache: c.cache, bit: bits.adverbNotLy)
        infinitive = FormSet(cache: c.cache, bit: bits.infinitive)
        articles = FormSet(cache: c.cache, bit: bits.articles)
        introducesContent = FormSet(cache: c.cache, bit: bits.introducesContent)
        progressive = FormSet(cache: c.cache, bit: bits.progressive)
        speakerDash = FormSet(cache: c.cache, bit: bits.speakerDash)
        closingQuote = FormSet(cache: c.cache, bit: bits.closingQuote)
        openingQuote = FormSet(cache: c.cache, bit: bits.openingQuote)
        colonStop = FormSet(cache: c.cache, bit: bits.colonStop)
        // Each fixed word's bytes and hash are read from one table for all texts (`FixedWord`):
        // found by its string, each cost a hash of the string per word per text.
        let fixedWords = FixedWord.table
        func id(_ word: FixedWord) -> Int32 {
            c.text.forms.find(formOf: word.rawValue, in: fixedWords).map(Int32.init) ?? -2
        }
        comma = id(.comma)
        colon = id(.colon)
        openParen = id(.openParen)
        closeParen = id(.closeParen)
        period = id(.period)
        by = id(.by)
        what = id(.what)
        into = id(.into)
        inWord = id(.inWord)
        that = id(.that)
        who = id(.who)
        of = id(.of)
        like = id(.like)
        and = id(.and)
        or = id(.or)
        slash = id(.slash)
        one = id(.one)
        from = id(.from)
        on = id(.on)
        worth = id(.worth)
        without = id(.without)
        raisingVerbs = FormSet(cache: c.cache, bit: bits.raisingVerbs)
        goForms = FormSet(cache: c.cache, bit: bits.goForms)
        passivePrepositions = FormSet(cache: c.cache, bit: bits.passivePrepositions)
        adverbialOpeners = FormSet(cache: c.cache, bit: bits.adverbialOpeners)
        including = id(.including)
        contributed = id(.contributed)
        which = id(.which)
        whom = id(.whom)
        through = id(.through)
        semicolon = id(.semicolon)
        claimNouns = FormSet(cache: c.cache, bit: bits.claimNouns)
        possessivePronouns = FormSet(cache: c.cache, bit: bits.possessivePronouns)
        to = id(.to)
        summoned = FormSet(cache: c.cache, bit: bits.summoned)
        callForms = FormSet(cache: c.cache, bit: bits.callForms)
        know = id(.know)
        compoundNounHeads = FormSet(cache: c.cache, bit: bits.compoundNounHeads)
        questionAuxiliaries = FormSet(cache: c.cache, bit: bits.questionAuxiliaries)
        hyphen = id(.hyphen)
        ingForm = id(.ingForm)
    }

    func find() -> [Attribution] {
        var result: [Attribution] = []
        result.reserveCapacity(c.cues.count)
        // Where the last reporting verb of a sentence ends (`Stein said`): a stance or belief
        // behind it in the same sentence (`Stein said she plans to ...`) is part of what was
        // said, the content, and not an attribution of its own.
        var lastReport: (sentenceStart: Int, end: Int) = (-1, -1)
        for cue in c.cues {
            let sentence = effectiveSentence(of: cue.tokens.lowerBound)
            // Where what the last report said starts, when this cue's sentence has one (-1: none).
            let reportedFrom = lastReport.sentenceStart == sentence.lowerBound ? lastReport.end : -1
            // The entry's strength and category as enums, read once (`PackEntry`).
            let strength = c.entryTable[cue.entryIndex].strength
            let cueCategory = c.entryTable[cue.entryIndex].category
            defer {
                // Only a voice before its verb (`Stein said she ...`) opens a content after it;
                // after `said Mr. Kamin, who ...` comes a relative clause, not what was said.
                if let last = result.last, last.cue.lowerBound >= c.text.tokens[cue.tokens.lowerBound].start,
                   last.category == .verb, strength == .strong,
                   (last.source?.upperBound ?? 0) <= cue.tokens.lowerBound,
                   quotations.isEmpty || !SourcesAnnotator.isInside(last.cue.lowerBound, quotations),
                   !(last.source.map { followsAQuotation($0.lowerBound, in: sentence) } ?? false) {
                    lastReport = (sentence.lowerBound, cue.tokens.upperBound)
                }
            }
            var range = cue.range
            var source: Range<Int>?
            // `a liberal think tank`, `a think piece`: the first half of a compound noun.
            if cue.tokens.upperBound < sentence.upperBound && compoundNounHeads.contains(c.form(cue.tokens.upperBound)) { continue }
            // `she called into the radio show`, `called in to a town hall`: a telephone call, not
            // words reported; `called an emergency meeting`: a meeting summoned.
            if cue.tokens.upperBound < sentence.upperBound && (c.form(cue.tokens.upperBound) == into
                || (cue.tokens.upperBound + 1 < sentence.upperBound && c.form(cue.tokens.upperBound) == inWord
                    && c.form(cue.tokens.upperBound + 1) == to)) { continue }
            if summons(after: cue, in: sentence) { continue }
            // `Stevie Wonder, who`, `The Steve Harvey Morning Show on Tuesday`: a capitalized word
            // inside a name, not a verb, when a comma or a lowercase word follows (a headline's
            // `..., Lindsey Graham Says.` ends there, and its next word is capitalized too).
            if cue.tokens.count == 1, cue.tokens.lowerBound > sentence.lowerBound, c.isCapitalized(cue.tokens.lowerBound),
               !c.text.isSentenceInitial(token: cue.tokens.lowerBound),
               c.text.tokens[cue.tokens.lowerBound - 1].kind == .word, c.isCapitalized(cue.tokens.lowerBound - 1),
               !pronouns.contains(c.form(cue.tokens.lowerBound - 1)),
               cue.tokens.upperBound < sentence.upperBound,
               c.form(cue.tokens.upperBound) == comma
                || (c.text.tokens[cue.tokens.upperBound].kind == .word && !c.isCapitalized(cue.tokens.upperBound)) { continue }
            // `Jane Roe contributed reporting.`: a credit line, not an attribution.
            if cue.tokens.lowerBound > sentence.lowerBound, c.form(cue.tokens.lowerBound - 1) == contributed { continue }
            // `It is worth noting that`, `it goes without saying that`: the writer's own remark.
            if cue.tokens.lowerBound - 1 > sentence.lowerBound, endsWith(c.form(cue.tokens.lowerBound), .ing),
               c.form(cue.tokens.lowerBound - 1) == worth
                || (c.form(cue.tokens.lowerBound - 1) == without && goForms.contains(c.form(cue.tokens.lowerBound - 2))) { continue }
            // `Do you know where ...?`, `you know,`: a question or a filler, not a claim.
            if isQuestionOrFiller(cue.tokens, in: sentence) { continue }
            // `(Reporting by Jane Roe; Editing by ...)`: a credit line, not an attribution.
            if cue.tokens.upperBound < sentence.upperBound && c.form(cue.tokens.upperBound) == by
                && endsWith(c.form(cue.tokens.upperBound - 1), .ing) { continue }
            // `Trump’s claim that ...`, `his earlier claim that ...`: the noun names a claim and its
            // content, and the possessor is the voice.
            if let owner = claimOwner(of: cue, in: sentence) {
                result.append(Attribution(cue: range, category: .noun, source: owner))
                continue
            }
            // `Trump’s past references`, `his recent comments`: a plural after an adjective after
            // a possessor is a noun too (not `Trump’s aides say`: the word between is the subject).
            if cue.tokens.count == 1, strength != .strong, cue.tokens.lowerBound - 2 >= sentence.lowerBound,
               shapes.shape(of: c.form(cue.tokens.lowerBound)).contains(.s),
               c.text.tokens[cue.tokens.lowerBound - 1].kind == .word, !c.isCapitalized(cue.tokens.lowerBound - 1),
               c.cueAt[cue.tokens.lowerBound - 1] < 0, !c.hasNoun(at: cue.tokens.lowerBound - 1),
               possessivePronouns.contains(c.form(cue.tokens.lowerBound - 2))
                || (endsWith(c.form(cue.tokens.lowerBound - 2), .possessive) && !contractedPronouns.contains(c.form(cue.tokens.lowerBound - 2))) {
                continue
            }
            // `Friday's tweets`, `the president's claims`, `his plans`: a noun, not a verb.
            if cueCategory != .prep && cueCategory != .quoted && followsDeterminer(cue.tokens.lowerBound, in: sentence)
                && !(c.form(cue.tokens.lowerBound - 1) == to && raisedVoice(of: cue, in: sentence) != nil) {
                continue
            }
            // `DuVernay said, emphasizing why ...`: a participle right after a reporting clause is
            // the same voice saying more; it shares that clause's source (as PARC marks it).
            if let voice = sharedVoice(of: cue, in: sentence, after: result.last) {
                result.append(Attribution(cue: range, category: cue.category, source: voice))
                continue
            }
            switch cueCategory {
            case .prep:
                source = rightPhrase(from: cue.tokens.upperBound, in: sentence, loose: true)
                // `The court blocked the sale, citing a threat to public health`: what is cited
                // names nobody, so `citing` is the participle of the clause's own voice.
                // `McConnell said in June, citing the release of prisoners`: the reporting clause's
                // voice. `Citing a conspiracy theory, Trump accused ...`: the subject after it.
                if let cited = source, !namesSomeone(cited), cue.tokens.count == 1, endsWith(c.form(cue.tokens.lowerBound), .ing) {
                    if cue.tokens.lowerBound > sentence.lowerBound, c.form(cue.tokens.lowerBound - 1) == comma {
                        if let voice = sharedVoice(of: cue, in: sentence, after: result.last, participleOfAnyCategory: true)
                            ?? clauseSubject(before: cue.tokens.lowerBound, in: sentence) {
                            source = voice
                        }
                    } else if cue.tokens.lowerBound == sentence.lowerBound || openingQuote.contains(c.form(cue.tokens.lowerBound - 1)),
                              let comma = (cue.tokens.upperBound..<sentence.upperBound).first(where: { c.form($0) == self.comma }),
                              let voice = clauseSubject(from: comma + 1, before: sentence.upperBound, in: sentence, forward: true) {
                        source = voice
                    }
                }
            case .quoted:
                // `The paper quoted officials as saying`: the voice is between `quoted` and `as`.
                let first = cue.firstSegment
                range = c.text.tokens[first.lowerBound].start..<c.text.tokens[first.upperBound - 1].end
                if let gap = cue.firstGap, !gap.isEmpty { source = gap }
                else { source = leftSubject(before: cue.tokens.lowerBound, in: sentence) }
            case .belief:
                // `analysts believe`: attribution only with a subject that is not `I think` in
                // passing... a subject is required, and no inversion.
                source = leftSubject(before: cue.tokens.lowerBound, in: sentence)
                if source == nil { continue }
                if isReportedContent(source!, from: reportedFrom) || isNounAfterSingular(cue, subject: source!) { continue }
            default:
                source = leftSubject(before: cue.tokens.lowerBound, in: sentence)
                // `he appeared to suggest`, `Sanders went on to say`: the voice of the verb before `to`.
                let raised = source == nil ? raisedVoice(of: cue, in: sentence) : nil
                if raised != nil { source = raised }
                // `Clinton spoke out about the death of Terence Crutcher in Tulsa, arguing that`, `it
                // issued a policy paper welcoming the plan`: a participle after the clause's object
                // (after its comma, or after an object that names nobody) is the subject's.
                // `the Security Council issued a statement calling`: after the object of a past
                // verb, the voice is that verb's subject.
                if let object = source, object.lowerBound > sentence.lowerBound, endsWith(c.form(cue.tokens.lowerBound), .ing) {
                    // (`released an ad this week showing`: a time may stand between.)
                    let adjacent = (object.upperBound..<cue.tokens.lowerBound).allSatisfy { time.contains(c.form($0)) || determiners.contains(c.form($0)) }
                    // The word before the object: a past verb (`issued a statement`) or a preposition.
                    let beforeObject = object.lowerBound - 1
                    if adjacent, isTransitivePast(beforeObject, in: sentence) {
                        if let voice = leftSubject(before: beforeObject, in: sentence) { source = voice }
                    } else if adjacent, beforeObject - 1 >= sentence.lowerBound,
                              innerPreposition.contains(c.form(beforeObject)) || c.form(beforeObject) == to,
                              let last = result.last, let voice = last.source,
                              last.cue.upperBound == c.text.tokens[beforeObject - 1].end {
                        // `she said at a news conference announcing`, `sent a letter to the board
                        // urging`: the object of the report before; its voice goes on.
                        source = voice
                    } else if c.form(cue.tokens.lowerBound - 1) == comma
                                || (object.upperBound == cue.tokens.lowerBound && !namesSomeone(object) && c.form(object.lowerBound - 1) != comma),
                              let voice = clauseSubject(before: object.lowerBound, in: sentence) {
                        source = voice
                    }
                }
                // `despite admitting that`, `aside from saying`: a gerund after a preposition has
                // the clause's subject, not the preposition before it.
                if cue.tokens.lowerBound > sentence.lowerBound, endsWith(c.form(cue.tokens.lowerBound), .ing),
                   gerundPrepositions.contains(c.form(cue.tokens.lowerBound - 1)) || c.form(cue.tokens.lowerBound - 1) == inWord {
                    if cue.tokens.lowerBound - 1 == sentence.lowerBound {
                        // `In defending himself, Trump offered ...`, `After criticizing the plan, she
                        // left`: the clause after the opening phrase has the subject.
                        source = (cue.tokens.upperBound..<sentence.upperBound).first(where: { c.form($0) == comma })
                            .flatMap { clauseSubject(from: $0 + 1, before: sentence.upperBound, in: sentence, forward: true) }
                    } else if c.form(cue.tokens.lowerBound - 1) != inWord {
                        source = clauseSubject(before: cue.tokens.lowerBound - 1, in: sentence)
                    }
                }
                // `the insurance lobby`, `Republican support`: a bare form right after a singular
                // subject does not agree with it; it is the noun of a compound, not a verb.
                if let subject = source, isNounAfterSingular(cue, subject: subject) || isNounAfterPlural(cue, subject: subject) { continue }
                // `people accused of rape`, `the laws proposed during his term`: a past participle
                // between a common noun and `of`, `during`, `under` is a passive that modifies the
                // noun; nobody's words. (Not `to`, `in`, `on`: `officials agreed to`, `aides
                // insisted in June`, `the senator called on` are verbs with their complements.)
                if let subject = source, strength != .strong, cue.tokens.count == 1, subject.upperBound == cue.tokens.lowerBound,
                   cue.tokens.upperBound < sentence.upperBound, endsWith(c.form(cue.tokens.lowerBound), .ed),
                   c.text.tokens[subject.upperBound - 1].kind == .word, !c.isCapitalized(subject.upperBound - 1),
                   !pronouns.contains(c.form(subject.upperBound - 1)), c.form(subject.upperBound - 1) != who,
                   c.form(subject.upperBound - 1) != which, c.form(subject.upperBound - 1) != that,
                   passivePrepositions.contains(c.form(cue.tokens.upperBound)) { continue }
                // `Trump is promising`, `Republicans are slamming`: the auxiliary joins the cue.
                // `Trump is once again questioning`: adverbs may stand between them.
                var before = cue.tokens.lowerBound - 1
                while before > sentence.lowerBound && cue.tokens.lowerBound - before <= 3 && !progressive.contains(c.form(before))
                    && c.text.tokens[before].kind.isWord && skipBeforeCue.contains(c.form(before)) && !be.contains(c.form(before)) {
                    before -= 1
                }
                // The participle is the cue's first word (`is calling for`), not its last.
                if source == nil && before > sentence.lowerBound && progressive.contains(c.form(before))
                    && endsWith(c.form(cue.tokens.lowerBound), .ing),
                   let subject = leftSubject(before: before, in: sentence) {
                    source = subject
                    range = c.text.tokens[before].start..<range.upperBound
                }
                // A stance (`plans`, `wants`, `polls show`): attribution only behind a subject
                // that names someone or something that speaks.
                if strength == .stance {
                    guard let subject = source, namesSomeone(subject),
                          !isReportedContent(subject, from: reportedFrom),
                          raised != nil || !(cue.tokens.lowerBound > sentence.lowerBound && infinitive.contains(c.form(cue.tokens.lowerBound - 1))),
                          !isPassive(cue.tokens.lowerBound, in: sentence)
                    else { continue }
                    result.append(Attribution(cue: range, category: cue.category, source: subject))
                    continue
                }
                if !endsWith(c.form(cue.tokens.upperBound - 1), .ing)
                    && invertsWithItsSubject(c.form(cue.tokens.upperBound - 1))
                    && invertible(cueStart: cue.tokens.lowerBound, in: sentence,
                                  afterQuotationOnly: !inverting.contains(c.form(cue.tokens.upperBound - 1))) {
                    if source == nil {
                        source = rightPhrase(from: cue.tokens.upperBound, in: sentence, loose: false)
                    } else if cue.tokens.lowerBound - 1 > sentence.lowerBound, c.form(cue.tokens.lowerBound - 1) == comma,
                              cue.tokens.count == 1, invertsAfterContent.contains(c.form(cue.tokens.lowerBound)),
                              let voice = rightPhrase(from: cue.tokens.upperBound, in: sentence, loose: false),
                              endsSentence(voice, in: sentence), !hasPastVerb(voice) {
                        // `..., the losses would outstrip the gains, said Batchelder.`: what stood
                        // between the commas looked like an apposition, but a voice after the verb
                        // that closes the sentence makes the clause before it what was said.
                        source = voice
                    }
                }
                // A weak verb (`added`, `called`) attributes before a complement (`added that`,
                // `noted,`) or after a subject that names someone (`Cruz called Trump a liar`);
                // `the company added 500 jobs` is neither.
                if strength == .weak {
                    // `condemned what he called a “brazen breach”`: the writer's naming of a thing,
                    // with the words as a label, not a claim attributed to him.
                    if let subject = source,
                       (subject.lowerBound > sentence.lowerBound && c.form(subject.lowerBound - 1) == what)
                        || subject.contains(where: { c.form($0) == what }) { continue }
                    if isPassive(cue.tokens.lowerBound, in: sentence) {
                        // `has been clarified`, `was charged`: a passive reports nobody's words;
                        // `was first reported by The Washington Post`: the agent is the voice.
                        if let agent = passiveAgent(after: cue, in: sentence) {
                            result.append(Attribution(cue: range, category: cue.category, source: agent))
                        }
                        continue
                    }
                    // `He said he believes ...`: a verb of the content, not a new voice.
                    if let subject = source, isReportedContent(subject, from: reportedFrom) { continue }
                    // `..., arguing that`, `but noted that`: the subject is elided; the
                    // complement alone makes it attribution (a cue without a source).
                    guard let subject = source else {
                        let next = cue.tokens.upperBound
                        // `..., and criticized the party`, `and called for tariffs`, `and calling for
                        // bases`: the subject of the clause before.
                        // (`but also contended`: adverbs may stand between.)
                        let conjunction = beforeAdverbs(cue.tokens.lowerBound, in: sentence)
                        let afterConjunction = conjunction >= sentence.lowerBound
                            && conjunctions.contains(c.form(conjunction))
                            && (endsWith(c.form(cue.tokens.lowerBound), .ed) || endsWith(c.form(cue.tokens.lowerBound), .ing))
                        let participleAfterComma = cue.tokens.lowerBound > sentence.lowerBound
                            && c.form(cue.tokens.lowerBound - 1) == comma && endsWith(c.form(cue.tokens.lowerBound), .ing)
                        let voice = afterConjunction
                            ? relativeSubject(before: conjunction, in: sentence) ?? clauseSubject(before: cue.tokens.lowerBound, in: sentence)
                            : participleAfterComma ? clauseSubject(before: cue.tokens.lowerBound, in: sentence) : nil
                        // `Trump spoke to industry leaders, promising to lift regulations`: a participle
                        // after the clause of a named voice says more in that voice, content or not.
                        if next < sentence.upperBound, introducesContent.contains(c.form(next)) || afterConjunction
                            || (participleAfterComma && voice.map(namesSomeone) == true) {
                            result.append(Attribution(cue: range, category: cue.category, source: voice))
                        }
                        continue
                    }
                    // `would add`, `to announce`: not (yet) anyone's words.
                    if raised == nil && cue.tokens.lowerBound > sentence.lowerBound && infinitive.contains(c.form(cue.tokens.lowerBound - 1)) { continue }
                    var next = cue.tokens.upperBound
                    // `complain bitterly that`: an adverb between the verb and its complement.
                    while next + 1 < sentence.upperBound, c.text.tokens[next].kind == .word, !c.isCapitalized(next),
                          endsWith(c.form(next), .ly), !adverbNotLy.contains(c.form(next)),
                          complement.contains(c.form(next + 1)) { next += 1 }
                    let beforeComplement = next >= sentence.upperBound || complement.contains(c.form(next))
                    let namesSomeone = namesSomeone(subject)
                    // `added 500 jobs`, `reported $3 billion`: a quantity is an object, not a claim.
                    let beforeQuantity = next < sentence.upperBound
                        && (c.text.tokens[next].kind == .number || c.text.tokens[next].kind == .symbol)
                    // A poll or a study reports its figures: `the survey found 74 percent`.
                    let document = beforeQuantity && subject.contains { c.nounTypeIndex(at: $0) == SourcesAnnotator.SourceAttributeTable.document }
                    if !beforeComplement && (!namesSomeone || (beforeQuantity && !document)) { continue }
                    // `mailers and phone calls.`: one bare lowercase word that names nobody, before
                    // the sentence's end, is the first half of a compound noun, not a voice.
                    if !namesSomeone && subject.count == 1 && !c.isCapitalized(subject.lowerBound)
                        && (next >= sentence.upperBound || c.text.tokens[next].kind == .punctuation) { continue }
                }
            }
            // `The story was being told by The Daily Caller`: a strong verb in the passive has its
            // agent for a voice; `he was told that ...`: its subject is the one told, not a voice.
            if strength == .strong, cueCategory == .verb, isPassive(cue.tokens.lowerBound, in: sentence) {
                source = passiveAgent(after: cue, in: sentence)
            }
            // `I laughed and said, “...”`, `Clinton chimed in on Twitter, saying ...`: a strong verb
            // after `and`, or its participle after a comma, shares the clause's subject.
            if source == nil, cue.tokens.lowerBound > sentence.lowerBound {
                let conjunction = beforeAdverbs(cue.tokens.lowerBound, in: sentence)
                if conjunction >= sentence.lowerBound && c.form(conjunction) == and {
                    source = relativeSubject(before: conjunction, in: sentence) ?? clauseSubject(before: cue.tokens.lowerBound, in: sentence)
                } else if c.form(cue.tokens.lowerBound - 1) == comma && endsWith(c.form(cue.tokens.lowerBound), .ing) {
                    // (`Trump was defensive about an architect who said he was stiffed, saying`: a
                    // participle of saying after the comma goes with the main clause, past any
                    // relative clause.)
                    source = clauseSubject(from: sentence.lowerBound, before: cue.tokens.lowerBound, in: sentence, forward: true)
                }
            }
            result.append(Attribution(cue: range, category: cue.category, source: source))
        }
        let before = result.count
        findSpeakerLines(into: &result)
        findPollMentions(into: &result)
        if result.count > before { result.sort { $0.cue.lowerBound < $1.cue.lowerBound } }
        return result
    }

    /// `In this poll, Trump rose`, `gains in some polls in the Middle West`: `in` before a noun
    /// phrase headed by a poll or survey attributes the figures to it (the cue is `in`, the voice
    /// the poll), as `according to` would.
    private func findPollMentions(into result: inout [Attribution]) {
        // Most texts name no poll: a few form lookups spare the scan of every token.
        guard pollNouns.bit != 0, c.hasSequence("pollNouns") else { return }
        let tokens = c.text.tokens
        // The `in`s gathered first, in one tight pass over the tokens' forms (most are none).
        let inWord = self.inWord
        let ins: [Int] = tokens.withUnsafeBufferPointer { buffer in
            var found: [Int] = []
            var t = 0
            while t + 1 < buffer.count {
                if buffer[t].form == inWord { found.append(t) }
                t += 1
            }
            return found
        }
        for t in ins {
            guard c.cueAt[t] < 0 else { continue }
            // Most `in`s have no poll in sight: look a few words on before reading the phrase.
            var k = t + 1
            var poll = false
            while k < tokens.count && k - t <= 10 && (tokens[k].kind != .punctuation || tokens[k].form == slash) {
                if pollNouns.contains(tokens[k].form) { poll = true; break }
                k += 1
            }
            guard poll else { continue }
            let sentence = c.text.sentences[c.text.sentenceIndex(ofToken: t)].tokens
            guard var phrase = rightPhrase(from: t + 1, in: sentence, loose: true) else { continue }
            // `in online and snap polls`, `in the Post/ABC News poll`: words joined by a
            // conjunction or a slash go on modifying the poll ahead; the phrase runs on to it.
            while phrase.upperBound <= k, phrase.upperBound + 1 < sentence.upperBound,
                  c.form(phrase.upperBound) == slash || c.form(phrase.upperBound) == and || c.form(phrase.upperBound) == or,
                  let more = rightPhrase(from: phrase.upperBound + 1, in: sentence, loose: true),
                  more.lowerBound == phrase.upperBound + 1 {
                phrase = phrase.lowerBound..<more.upperBound
            }
            // The poll is the phrase's head: before any preposition inside it, or after the `of`
            // of a part (`one of the first post-debate polls`, `some of the polls`).
            var headStart = phrase.lowerBound
            if phrase.count > 2, c.form(phrase.lowerBound + 1) == of,
               tokens[phrase.lowerBound].kind == .number || pluralQuantifiers.contains(c.form(phrase.lowerBound))
                || determiners.contains(c.form(phrase.lowerBound)) || c.form(phrase.lowerBound) == one {
                headStart = phrase.lowerBound + 2
            }
            let headEnd = phrase.first(where: { innerPreposition.contains(c.form($0)) && $0 > headStart }) ?? phrase.upperBound
            // ... and the poll ends the head, or a participle follows it (`polls taken after`); a
            // poll that modifies another noun (`the poll station`, `poll workers`) names no poll.
            guard let pollAt = (headStart..<headEnd).last(where: { pollNouns.contains(c.form($0)) }),
                  pollAt + 1 == headEnd || endsWith(c.form(pollAt + 1), .ed) || irregularPast.contains(c.form(pollAt + 1))
                    || c.form(pollAt + 1) == slash,
                  !result.contains(where: { $0.cue.contains(tokens[t].start) || ($0.source?.contains(t) ?? false) })
            else { continue }
            result.append(Attribution(cue: tokens[t].range, category: .prep, source: phrase))
        }
    }

    /// A subject inside what was just reported (`Stein said she plans ...`: the content starts at
    /// `start`, -1 when the sentence reports nothing), unless a contrast opens a clause of its own
    /// (`..., though she acknowledged it was unlikely`).
    private func isReportedContent(_ subject: Range<Int>, from start: Int) -> Bool {
        guard start >= 0, subject.lowerBound >= start else { return false }
        // `..., the source added.`: a voice and its verb that close the sentence after a comma
        // attribute the whole sentence, they are not inside what the sentence reports.
        if subject.lowerBound - 1 >= start, c.form(subject.lowerBound - 1) == comma,
           let cueEnd = closingCueEnd(after: subject), endsSentence(cueEnd..<cueEnd, in: c.text.sentences[c.text.sentenceIndex(ofToken: subject.lowerBound)].tokens) {
            return false
        }
        var k = subject.lowerBound - 1
        // `... would be more intense — and he noted that`: a dash or a semicolon (and the `and`
        // after it) ends what was reported; a new clause of the writer's begins.
        if k >= start && conjunctions.contains(c.form(k)) && k - 1 >= start
            && (speakerDash.contains(c.form(k - 1)) || c.form(k - 1) == semicolon) { return false }
        if k >= start && (speakerDash.contains(c.form(k)) || c.form(k) == semicolon) { return false }
        // `... disclosed them to the AP, which first reported the story`: a relative clause
        // tells of the phrase before it in the writer's words.
        if subject.count == 1, k >= start, c.form(k) == comma, c.form(subject.lowerBound) == who || c.form(subject.lowerBound) == which {
            return false
        }
        // `Republicans said they are convinced ... and Democrats accused the GOP`: a conjunction
        // and a new named subject open a clause of the writer's, coordinated with the report.
        if k > start, conjunctions.contains(c.form(k)), subject.count <= Self.maxPhrase, c.isCapitalized(subject.lowerBound),
           !pronouns.contains(c.form(subject.lowerBound)), namesSomeone(subject) { return false }
        // `saying during the debate, “That makes me smart,” when Clinton blasted him`: the report's
        // content was the quotation, and it has closed.
        if (start..<subject.lowerBound).contains(where: {
            closingQuote.contains(c.form($0)) && !(openingQuote.contains(c.form($0)) && c.text.tokens[$0].flags.contains(.spaceBefore))
                && !closesAShortTerm($0)
        }) { return false }
        if k > start && c.form(k) == comma { k -= 1 }
        return !(k >= start && contrastive.contains(c.form(k)))
    }

    /// The possessor of a claim noun followed by its content: `Donald Trump’s claim that` →
    /// `Donald Trump’s`, `his latest claim that` → `his`. Nil for any other noun use.
    private func claimOwner(of cue: Cue, in sentence: Range<Int>) -> Range<Int>? {
        let next = cue.tokens.upperBound
        guard cue.tokens.count == 1, claimNouns.contains(c.form(cue.tokens.lowerBound)),
              next < sentence.upperBound, c.form(next) == that
        else { return nil }
        var j = cue.tokens.lowerBound - 1
        // One adjective between: `his latest claim`, `the agency’s new claim`.
        if j > sentence.lowerBound, !endsWith(c.form(j), .possessive), !possessivePronouns.contains(c.form(j)),
           c.text.tokens[j].kind.isWord, !c.isCapitalized(j) {
            j -= 1
        }
        guard j >= sentence.lowerBound else { return nil }
        if possessivePronouns.contains(c.form(j)) { return j..<(j + 1) }
        guard c.text.tokens[j].kind.isWord, endsWith(c.form(j), .possessive), !contractedPronouns.contains(c.form(j)) else { return nil }
        // The owner's name: the capitalized words (and titles) before it, `Donald Trump’s`,
        // `Tulsa police’s`; not the verb before it (`checked Trump’s claim`).
        var start = j
        while start - 1 >= sentence.lowerBound && j - start < Self.maxPhrase {
            let k = start - 1
            if c.text.tokens[k].kind.isWord && c.isCapitalized(k) && !articles.contains(c.form(k)) { start = k; continue }
            if c.form(k) == period, k - 1 >= sentence.lowerBound, titles.contains(c.form(k - 1)) { start = k; continue }
            break
        }
        return start..<(j + 1)
    }

    /// `called an emergency meeting`, `calls a snap election`: `call` with an event for its object
    /// (within a few words: an article, an adjective) summons it and reports nobody's words.
    private func summons(after cue: Cue, in sentence: Range<Int>) -> Bool {
        guard cue.tokens.count == 1, callForms.contains(c.form(cue.tokens.lowerBound)) else { return false }
        var k = cue.tokens.upperBound
        while k < sentence.upperBound && k - cue.tokens.upperBound < 4 && c.text.tokens[k].kind.isWord {
            if summoned.contains(c.form(k)) { return true }
            k += 1
        }
        return false
    }

    /// The source of the attribution a participle cue continues: `X said, adding that`, `“...,”
    /// said Sanders, suggesting ...`, `she said in the Oval Office, emphasizing it was time`. Only
    /// words (the rest of the reporting clause: its source, a place, a time) may stand between the
    /// previous cue and the comma before the participle; another cue or a quotation there means a
    /// new clause.
    private func sharedVoice(of cue: Cue, in sentence: Range<Int>, after last: Attribution?,
                             participleOfAnyCategory: Bool = false) -> Range<Int>? {
        guard let last, let voice = last.source, last.category == .verb || last.category == .belief,
              quotations.isEmpty || !SourcesAnnotator.isInside(last.cue.lowerBound, quotations),
              participleOfAnyCategory || (c.entryTable[cue.entryIndex].category != .prep && c.entryTable[cue.entryIndex].category != .quoted),
              endsWith(c.form(cue.tokens.lowerBound), .ing)
        else { return nil }
        let before = cue.tokens.lowerBound - 1
        guard before > sentence.lowerBound, c.form(before) == comma,
              last.cue.lowerBound >= c.text.tokens[sentence.lowerBound].start,
              last.cue.upperBound <= c.text.tokens[before].start
        else { return nil }
        var k = before - 1
        var words = 0
        while k >= sentence.lowerBound && c.text.tokens[k].start >= last.cue.upperBound {
            let token = c.text.tokens[k]
            guard token.kind.isWord || token.kind == .number || (token.form == period && k > sentence.lowerBound && titles.contains(c.form(k - 1))),
                  c.cueAt[k] < 0
            else { return nil }
            words += 1
            if words > Self.maxApposition { return nil }
            k -= 1
        }
        // `Trump was defensive about an architect who said he was stiffed ..., saying`: the report
        // before was a relative clause's; the participle goes with the main clause, when it has a
        // subject of its own.
        if voice.count == 1, c.form(voice.lowerBound) == who || c.form(voice.lowerBound) == which,
           voice.lowerBound > sentence.lowerBound, c.form(voice.lowerBound - 1) != comma,
           let main = clauseSubject(from: sentence.lowerBound, before: voice.lowerBound, in: sentence, forward: true) {
            return main
        }
        return voice
    }

    /// Punctuation that names a speaker by layout alone: a line (a headline, a transcript turn)
    /// that opens with a short name and a colon (`Pence: ...`, `"WALLACE: ...`), and a dash after a
    /// closing quotation mark followed by a name that ends the line (`...” ― Jane Roe`).
    private func findSpeakerLines(into result: inout [Attribution]) {
        let tokens = c.text.tokens
        // (A text without a colon has no such line: `colon` is then -2, which no token has.)
        // (The tokens read through their buffer: most paragraphs are read for a colon and no more.)
        if colon >= 0 {
            tokens.withUnsafeBufferPointer { tokens in
                for paragraph in c.text.paragraphs {
                    let range = paragraph.tokens
                    // `Name: text`: one to four capitalized nominal words at the line start.
                    var first = range.lowerBound
                    if first < range.upperBound && openingQuote.contains(tokens[first].form) { first += 1 }
                    // The colon must come one to four tokens after `first`, before the line's last token:
                    // most lines have none there, and looking for it first spares testing their opening
                    // words as names (`isNounLike`).
                    var hasColon = false
                    var t = first + 1
                    while t < range.upperBound - 1 && t - first <= 4 {
                        if tokens[t].form == colon { hasColon = true; break }
                        t += 1
                    }
                    guard hasColon else { continue }
                    var k = first
                    while k < range.upperBound && k - first < 5 && tokens[k].kind == .word && c.isCapitalized(k) && isNounLike(k) { k += 1 }
                    if k > first && k - first <= 4 && k + 1 < range.upperBound && tokens[k].form == colon
                        && !colonStop.contains(tokens[first].form) && !colonStop.contains(tokens[k - 1].form) {
                        result.append(Attribution(cue: tokens[k].range, category: .layout, source: first..<k))
                    }
                }
            }
        }
        // `” ― Name`: the dash, then a name that runs to the end of its line.
        // (The set in a local: read through `self` in the loop, its fields were loaded per token.)
        let speakerDash = self.speakerDash
        guard speakerDash.bit != 0 else { return }
        // The name after the dash is at most `maxName` tokens and a full stop, and the line ends
        // there: only a paragraph's last `maxName + 2` tokens can be the dash (a line ends where a
        // token starts a paragraph, which is where `paragraphs` splits), so only those are read,
        // not every token of the text.
        let maxName = 7
        var dashes: [Int] = []
        tokens.withUnsafeBufferPointer { tokens in
            for paragraph in c.text.paragraphs {
                var t = max(paragraph.tokens.lowerBound, paragraph.tokens.upperBound - (maxName + 2), 1)
                while t < paragraph.tokens.upperBound && t + 1 < tokens.count {
                    if tokens[t].kind == .punctuation && speakerDash.contains(tokens[t].form) { dashes.append(t) }
                    t += 1
                }
            }
        }
        for t in dashes {
            guard tokens[t].kind == .punctuation, speakerDash.contains(tokens[t].form),
                  closingQuote.contains(tokens[t - 1].form), !tokens[t].flags.contains(.paragraphStart)
            else { continue }
            let start = t + 1
            var end = start
            while end < tokens.count && end - start < maxName && !tokens[end].flags.contains(.paragraphStart) {
                let token = tokens[end]
                if token.kind == .word && c.isCapitalized(end) { end += 1; continue }
                // An initial's full stop (`Edwin G. Monroy`).
                if token.form == period && end > start && c.text.forms.bytes(Int(tokens[end - 1].form)).count == 1 { end += 1; continue }
                break
            }
            guard end > start else { continue }
            // The name ends the line, or a full stop does.
            var after = end
            if after < tokens.count && tokens[after].form == period && !tokens[after].flags.contains(.paragraphStart) { after += 1 }
            guard after >= tokens.count || tokens[after].flags.contains(.paragraphStart) else { continue }
            result.append(Attribution(cue: tokens[t].range, category: .layout, source: start..<end))
        }
    }

    /// A cue in its bare form (`lobby`, `support`, `fear`: no `-s`, `-ed`, `-ing`, not a past
    /// like `put`) right after a subject whose head is singular (`the insurance lobby`,
    /// `Republican support`, `his fear`). English verbs agree with their subject, so the cue is a
    /// noun there. An auxiliary between them (`Trump would say`) takes the agreement.
    private func isNounAfterSingular(_ cue: Cue, subject: Range<Int>) -> Bool {
        let verb = c.form(cue.tokens.lowerBound)
        guard subject.upperBound == cue.tokens.lowerBound, c.text.tokens[cue.tokens.lowerBound].kind == .word,
              !shapes.shape(of: verb).contains(.s), !endsWith(verb, .ed), !endsWith(verb, .ing),
              !irregularPast.contains(verb)
        else { return false }
        // `Mr. King and Mr. Schultz say`: coordinated, plural. `advisers to Mr. Obama say`,
        // `emails combed through by Vox suggest`: the phrase found is the end of a longer subject,
        // whose head is not known.
        if subject.contains(where: { conjunctions.contains(c.form($0)) }) { return false }
        if subject.lowerBound > 0 {
            let before = c.form(subject.lowerBound - 1)
            // `China and Russia support`: names joined; `Congress and the insurance lobby`: a
            // determiner opens a noun phrase of its own, whose number is its head's.
            if before == and && !determiners.contains(c.form(subject.lowerBound)) { return false }
            // (A phrase that opens with its determiner is whole: `on a Spanish reality show`.)
            if innerPreposition.contains(before) || before == to || before == by || before == like,
               !determiners.contains(c.form(subject.lowerBound)) { return false }
        }
        // `they'll say`: the auxiliary glued to the pronoun takes the agreement.
        if contractedPronouns.contains(c.form(subject.upperBound - 1)) { return false }
        // The head is before a preposition or an apposition: `advisers to Mr. Obama say`.
        var head = subject.upperBound - 1
        if let stop = subject.firstIndex(where: {
            let f = c.form($0)
            return innerPreposition.contains(f) || f == to || f == comma || f == openParen
        }), stop > subject.lowerBound {
            head = stop - 1
        }
        let noun = c.form(head)
        guard c.text.tokens[head].kind == .word else { return false }
        return !shapes.shape(of: noun).contains(.s) && !pluralWithoutS.contains(noun)
    }

    /// The mirror case: a cue in `-s` (`calls`, `reports`) right after a plural lowercase head
    /// (`too many calls`, `the latest polls reports`) is a plural noun, not a verb agreeing with it.
    /// Names are left alone (`Reuters reports`, `the Times says` are singular).
    private func isNounAfterPlural(_ cue: Cue, subject: Range<Int>) -> Bool {
        let verb = c.form(cue.tokens.lowerBound)
        guard subject.upperBound == cue.tokens.lowerBound, c.text.tokens[cue.tokens.lowerBound].kind == .word,
              shapes.shape(of: verb).contains(.s), !endsWithSingularS(verb),
              !subject.contains(where: { c.isCapitalized($0) })
        else { return false }
        if subject.lowerBound > 0 {
            let before = c.form(subject.lowerBound - 1)
            if before == and || continuesASubject(before) { return false }
        }
        let head = subject.upperBound - 1
        let noun = c.form(head)
        guard c.text.tokens[head].kind == .word, !pronouns.contains(noun) else { return false }
        return pluralQuantifiers.contains(noun) || (shapes.shape(of: noun).contains(.s) && !endsWithSingularS(noun))
    }

    /// A preposition before the phrase found: it may be the end of a longer subject (`a study
    /// released by a group of researchers`, `among black voters`), whose head is not known.
    private func continuesASubject(_ before: Int32) -> Bool {
        innerPreposition.contains(before) || nounAfter.contains(before) || before == like
    }

    /// `-ss`, `-is`, `-us`: a final `s` that does not make a plural (`press`, `analysis`, `census`).
    private func endsWithSingularS(_ form: Int32) -> Bool {
        let bytes = c.text.forms.bytes(Int(form))
        guard bytes.count >= 2 else { return true }
        let before = bytes[bytes.index(bytes.endIndex, offsetBy: -2)]
        return before == UInt8(ascii: "s") || before == UInt8(ascii: "i") || before == UInt8(ascii: "u")
    }

    /// A subject that names someone: a pronoun, a source noun, or a name. Its head is the word
    /// before an apposition (`Clinton, at Monday’s debate,`) or a parenthesis (`McCaskill (D-Mo.)`).
    private func namesSomeone(_ subject: Range<Int>) -> Bool {
        if headNamesSomeone(subject.upperBound - 1, phraseLength: subject.count) { return true }
        var head = subject.upperBound - 1
        if let comma = subject.firstIndex(where: { c.form($0) == comma }), comma > subject.lowerBound {
            head = comma - 1
        } else if let preposition = subject.firstIndex(where: { c.form($0) == of }), preposition > subject.lowerBound {
            // `Video of the incident`: the head comes before `of`; after a quantity (`a number of
            // tax experts`, `a group of doctors`) the noun after it is the head.
            head = preposition - 1
            if quantityHeads.contains(c.form(head)) {
                var k = preposition + 1
                while k < subject.upperBound && (determiners.contains(c.form(k)) || (!c.isCapitalized(k) && !c.hasNoun(at: k) && k + 1 < subject.upperBound)) { k += 1 }
                if k < subject.upperBound && headNamesSomeone(k, phraseLength: subject.count) { return true }
            }
        }
        if c.form(head) == closeParen, let open = subject.firstIndex(where: { c.form($0) == openParen }), open > subject.lowerBound {
            head = open - 1
        }
        // `A union representing flight attendants`: a source noun before a participle heads it
        // (not `a Senate hearing`, a noun in -ing, nor `Trump making remarks`, a clause).
        if head == subject.upperBound - 1, let participle = subject.dropFirst().first(where: {
            c.text.tokens[$0].kind == .word && !c.isCapitalized($0) && endsWith(c.form($0), .ing) && c.cueAt[$0] < 0
        }), !c.isCapitalized(participle - 1), c.hasNoun(at: participle - 1) {
            return true
        }
        return head != subject.upperBound - 1 && headNamesSomeone(head, phraseLength: subject.count)
    }

    private func headNamesSomeone(_ last: Int, phraseLength: Int) -> Bool {
        if pronouns.contains(c.form(last)) || contractedPronouns.contains(c.form(last)) || c.hasNoun(at: last) { return true }
        guard c.isCapitalized(last) else { return false }
        // A capital inside a sentence or after other words is a name's. At a sentence start it is
        // one too (`Trump responded by ...`) unless the text writes the word in lowercase nearby
        // (`Prices called for caution. The prices rose.`).
        return !c.text.isSentenceInitial(token: last) || phraseLength > 1 || c.names.isNeverLowercase(c.form(last), at: last)
    }

    /// A suffix test on a form, from the per-text shape cache for the suffixes the rules ask about.
    @inline(__always) private func endsWith(_ form: Int32, _ shape: FormShapeCache.Shape) -> Bool {
        shapes.shape(of: form).contains(shape)
    }

    private func endsWith(_ form: Int32, _ suffix: StaticString) -> Bool {
        let bytes = c.text.forms.bytes(Int(form))
        let count = suffix.utf8CodeUnitCount
        guard bytes.count > count else { return false }
        return suffix.withUTF8Buffer { bytes.suffix(count).elementsEqual($0) }
    }

    private func followsDeterminer(_ t: Int, in sentence: Range<Int>) -> Bool {
        guard t - 1 >= sentence.lowerBound else { return false }
        let f = c.form(t - 1)
        // The form's set bits read once for the sets tested on it.
        let bits = c.cache.bits(of: f)
        // Articles and possessives, not quantifiers (`all agreed` is a verb).
        if articles.matches(bits) && !pronouns.matches(bits) { return true }
        // `pointed to reports`: a noun; `by saying`: a gerund, still a cue.
        if nounAfter.matches(bits) && !endsWith(c.form(t), .ing) { return true }
        // `no doubt`, `more details`, `Having said that`; but a marker that is also a source noun
        // (`the official said`, `the public felt`) is the subject before a past tense.
        if nounMarkers.matches(bits) {
            let cueForm = c.form(t)
            let past = endsWith(cueForm, .ed) || irregularPast.contains(cueForm)
            // ... and a marker that is also an adverb before a verb (`further details`, but
            // `Mook further asserted`) is the adverb before a past tense.
            return !(past && (c.hasNoun(at: t - 1) || skipBeforeCue.matches(bits)))
        }
        // `early-morning tweets`, `long-standing ideas`: a compound adjective before a noun.
        if c.text.tokens[t - 1].kind == .word && !c.isCapitalized(t - 1) && shapes.shape(of: f).contains(.hyphenated) { return true }
        // `Trump's claims` is a noun; `he's claimed` is a pronoun and its auxiliary.
        return c.text.tokens[t - 1].kind == .word && endsWith(f, .possessive) && !contractedPronouns.contains(f)
    }

    private func isPassive(_ t: Int, in sentence: Range<Int>) -> Bool {
        var b = t - 1
        // `is promising` is progressive, not passive.
        // (The form `ing` itself ends so too.)
        if endsWith(c.form(t), .ing) || c.form(t) == ingForm { return false }
        // (Each form's set bits read once for both sets.)
        while b >= sentence.lowerBound && c.text.tokens[b].kind == .word {
            let bits = c.cache.bits(of: c.form(b))
            guard skipBeforeCue.matches(bits) && !be.matches(bits) else { break }
            b -= 1
        }
        return b >= sentence.lowerBound && be.contains(c.form(b))
    }

    /// The sentence of a token, joined with the one before when the split was an abbreviation the
    /// splitter took for a full stop (`Sen. Lindsey Graham (R-S.C.) told`, `McConnell, R-Ky., said`):
    /// a real sentence does not start with a comma, a closing bracket or a lowercase word.
    private func effectiveSentence(of t: Int) -> Range<Int> {
        var index = c.text.sentenceIndex(ofToken: t)
        let upper = c.text.sentences[index].tokens.upperBound
        while index > 0 {
            let first = c.text.sentences[index].tokens.lowerBound
            let token = c.text.tokens[first]
            // No space before it: the split fell inside `(R-S.C.)`.
            let continues = !token.flags.contains(.spaceBefore) || token.form == comma || token.form == closeParen
                || (token.kind == .word && !token.flags.contains(.capitalized) && !token.flags.contains(.paragraphStart))
            guard continues, !token.flags.contains(.paragraphStart) else { break }
            index -= 1
        }
        return c.text.sentences[index].tokens.lowerBound..<upper
    }

    /// `Do you know ...?` (an auxiliary before the subject asks) and `you know,` (a filler).
    private func isQuestionOrFiller(_ cue: Range<Int>, in sentence: Range<Int>) -> Bool {
        let subject = cue.lowerBound - 1
        guard cue.count == 1, subject >= sentence.lowerBound, pronouns.contains(c.form(subject)) else { return false }
        if subject - 1 >= sentence.lowerBound && questionAuxiliaries.contains(c.form(subject - 1)) { return true }
        let next = cue.upperBound
        return c.form(cue.lowerBound) == know && next < sentence.upperBound && c.form(next) == comma
    }

    /// English puts the subject after verbs of saying (`said Smith`, `added the minister`,
    /// `says Jones`), never after a stance in the present (`..., shows Democratic groups
    /// outpacing`): a past form or one of the pack's `inverting` verbs.
    private func invertsWithItsSubject(_ form: Int32) -> Bool {
        inverting.contains(form) || endsWith(form, .ed)
    }

    /// The subject of the clause a cue with an elided subject continues (`Scott beamed and asked
    /// the crowd`, `The council made a condemnation and pledged to act`, `The committee is filing
    /// a complaint, claiming ...`): the noun phrase that opens the sentence, after an opening
    /// adverbial (`In 1986,`, `On Thursday, however,`), when a verb follows it. Nil when the
    /// opening is no such phrase, or when another voice or clause stands between.
    private func clauseSubject(before cueStart: Int, in sentence: Range<Int>) -> Range<Int>? {
        clauseSubject(from: sentence.lowerBound, before: cueStart, in: sentence)
    }

    /// `forward`: the cue came before (`Citing ..., Trump accused`): the phrase starts at `start`
    /// and nothing after its verb is checked.
    private func clauseSubject(from start: Int, before cueStart: Int, in sentence: Range<Int>, forward: Bool = false) -> Range<Int>? {
        var k = start
        while k < cueStart && (openingQuote.contains(c.form(k)) || c.text.tokens[k].kind != .word && c.text.tokens[k].kind != .arabicWord) { k += 1 }
        guard k < cueStart else { return nil }
        // An opening adverbial up to its comma (`In 1986,`), or several (`In my early 20s, when my
        // mother mentioned it, I laughed and said`).
        var adverbials = 0
        // (After an opening phrase, `forward`, the subject may open with its determiner at once.)
        while !(pronouns.contains(c.form(k)) && c.form(k) != who) && !((adverbials > 0 || forward) && determiners.contains(c.form(k)))
                && (!c.isCapitalized(k) || !isNounLike(k) || introductory.contains(c.form(k))) {
            adverbials += 1
            var comma = k
            while comma < cueStart && comma - k < 20 && c.form(comma) != self.comma { comma += 1 }
            guard adverbials <= 3, comma < cueStart, c.form(comma) == self.comma else { return nil }
            k = comma + 1
            // `On Thursday, however,`
            while k + 1 < cueStart && c.text.tokens[k].kind == .word && !c.isCapitalized(k) && c.form(k + 1) == self.comma { k += 2 }
            guard k < cueStart else { return nil }
        }
        let pronoun = pronouns.contains(c.form(k)) && c.form(k) != who
        guard pronoun || c.isCapitalized(k) || determiners.contains(c.form(k)) else { return nil }
        var end = pronoun ? k + 1 : k
        while !pronoun && end < cueStart && end - k < Self.maxPhrase {
            let f = c.form(end)
            let token = c.text.tokens[end]
            if end > k && pronouns.contains(f) { break }
            // `Democratic presidential nominee Hillary Clinton`: a lowercase modifier before a
            // source noun or a name.
            let modifier = end > k && end + 1 < cueStart && isNounLike(end) && !c.isCapitalized(end)
                && !endsWith(f, .ed) && !endsWith(f, .ing) && !irregularPast.contains(f) && !shapes.shape(of: f).contains(.s)
                && (c.hasNoun(at: end + 1) || (c.isCapitalized(end + 1) && c.text.tokens[end + 1].kind == .word))
            if token.kind == .word && (c.isCapitalized(end) || determiners.contains(f) || c.hasNoun(at: end) || modifier
                                       || (end > k && determiners.contains(c.form(end - 1)) && isNounLike(end))) {
                if npBreak.contains(f) && !c.isCapitalized(end) { break }
                end += 1
                continue
            }
            // `Trump and his aides`, `Obama and the first lady`: names joined.
            if end > k, f == and, end + 1 < cueStart, c.text.tokens[end + 1].kind == .word,
               c.isCapitalized(end + 1) || determiners.contains(c.form(end + 1)) || possessivePronouns.contains(c.form(end + 1)) {
                end += 1
                continue
            }
            // `A reporter for USA Today`: a preposition before a name joins it.
            if end > k, innerPreposition.contains(f), end + 1 < cueStart,
               c.isCapitalized(end + 1) && c.text.tokens[end + 1].kind == .word && !time.contains(c.form(end + 1)) {
                end += 1
                continue
            }
            if f == period, end > k, titles.contains(c.form(end - 1)) { end += 1; continue }
            break
        }
        guard end > k, end < cueStart else { return nil }
        // `Dean, a medical doctor, then appeared ...`: an apposition between commas is part of it.
        if !pronoun, c.form(end) == comma,
           let close = (end + 1..<min(cueStart, end + 1 + Self.maxApposition)).first(where: { c.form($0) == comma }),
           close > end + 1, close + 1 < cueStart,
           !(end + 1..<close).contains(where: { c.cueAt[$0] >= 0 || (c.text.tokens[$0].kind == .punctuation && c.form($0) != period) }) {
            end = close
        }
        // A verb follows the phrase (a past, a third person, an auxiliary: `beamed`, `makes`,
        // `has`), maybe after a time (`on Friday`), and no other voice lies before the cue.
        var after = end == cueStart ? end : (c.form(end) == comma ? end + 1 : end)
        while after < cueStart && c.text.tokens[after].kind == .word && skipBeforeCue.contains(c.form(after)) && !be.contains(c.form(after))
                && !infinitive.contains(c.form(after)) && after + 1 < cueStart && !c.isCapitalized(after)
                && c.text.tokens[after + 1].kind == .word && !skipBeforeCue.contains(c.form(after + 1)) {
            after += 1
        }
        while after + 1 < cueStart && (time.contains(c.form(after)) || innerPreposition.contains(c.form(after)))
                && (time.contains(c.form(after + 1)) || c.text.tokens[after + 1].kind == .number) {
            after += 2
        }
        guard after < cueStart else { return nil }
        let verb = c.form(after)
        guard c.text.tokens[after].kind == .word, !c.isCapitalized(after),
              endsWith(verb, .ed) || shapes.shape(of: verb).contains(.s) || irregularPast.contains(verb)
                || skipBeforeCue.contains(verb) || be.contains(verb) || infinitive.contains(verb) || verb == who
        else { return nil }
        // A relative clause between (`a network that has trafficked in ..., posted`) owns the cue.
        if !forward, (after + 1..<cueStart).contains(where: {
            let f = c.form($0)
            // (A straight mark after a space opens; the mark that closes its term is judged.)
            let opens = openingQuote.contains(f) && c.text.tokens[$0].flags.contains(.spaceBefore)
            return c.cueAt[$0] >= 0 || (closingQuote.contains(f) && !opens && !closesAShortTerm($0)) || f == who || f == that || f == which
        }) { return nil }
        return trimmed(k..<end)
    }

    /// A closing mark of a quoted term of three words at most (`the phrase “Islamic terrorism”`,
    /// `to “vote your conscience”`): the writer's sentence goes on around it.
    private func closesAShortTerm(_ token: Int) -> Bool {
        var k = token - 1
        var words = 0
        while k >= 0 && words <= 3 {
            if openingQuote.contains(c.form(k)) { return words > 0 && (k == 0 || c.text.tokens[k].flags.contains(.spaceBefore) || c.text.tokens[k - 1].kind != .word) }
            if c.text.tokens[k].kind.isWord || c.text.tokens[k].kind == .number { words += 1 } else if c.text.tokens[k].kind == .punctuation { return false }
            k -= 1
        }
        return false
    }

    /// `was first reported by The Washington Post`: the agent after a passive cue, when it names someone.
    private func passiveAgent(after cue: Cue, in sentence: Range<Int>) -> Range<Int>? {
        let after = cue.tokens.upperBound
        guard after + 1 < sentence.upperBound, c.form(after) == by,
              let agent = rightPhrase(from: after + 1, in: sentence, loose: false), namesSomeone(agent)
        else { return nil }
        return agent
    }

    /// `“...,” she said, and ...`: the voice right after a quotation (and its comma) said the
    /// quotation; what follows its verb is not its content.
    private func followsAQuotation(_ start: Int, in sentence: Range<Int>) -> Bool {
        var k = start - 1
        if k > sentence.lowerBound && c.form(k) == comma { k -= 1 }
        return k >= sentence.lowerBound && closingQuote.contains(c.form(k))
    }

    /// The end of the cue right after a subject (one word or a phrasal cue), if a cue follows it.
    private func closingCueEnd(after subject: Range<Int>) -> Int? {
        var k = subject.upperBound
        while k < c.text.tokens.count, c.text.tokens[k].kind.isWord, skipBeforeCue.contains(c.form(k)) { k += 1 }
        guard k < c.text.tokens.count, c.cueAt[k] >= 0 else { return nil }
        return c.cues[Int(c.cueAt[k])].tokens.upperBound
    }

    /// Nothing but the sentence's closing punctuation (or an apposition of it after a comma,
    /// `said Batchelder, an economist.`) follows the phrase.
    private func endsSentence(_ phrase: Range<Int>, in sentence: Range<Int>) -> Bool {
        var k = phrase.upperBound
        while k < sentence.upperBound, c.text.tokens[k].kind == .punctuation, c.form(k) != comma { k += 1 }
        return k >= sentence.upperBound || c.form(k) == comma
    }

    /// Inversion (`“...,” said Smith`) happens after a quotation, a comma or at the sentence start,
    /// never after a word (`the plan said to ...`).
    /// `afterQuotationOnly`: a past form that is no verb of saying (`blasted`, `lambasted`)
    /// inverts only right after a quotation (`“...,” blasted Smith`), not after a dash or a comma
    /// of the writer's (`— lambasted the plan`: the plan is its object).
    private func invertible(cueStart: Int, in sentence: Range<Int>, afterQuotationOnly: Bool = false) -> Bool {
        var b = cueStart - 1
        while b >= sentence.lowerBound && c.text.tokens[b].kind == .word && skipBeforeCue.contains(c.form(b)) { b -= 1 }
        guard b >= sentence.lowerBound else { return !afterQuotationOnly }
        guard !c.text.tokens[b].kind.isWord else { return false }
        return !afterQuotationOnly || followsAQuotation(b + 1, in: sentence)
    }

    /// Noun-like: a capitalized word, a source noun, a number, or a word the break set does not stop.
    private func isNounLike(_ t: Int) -> Bool {
        let token = c.text.tokens[t]
        if token.kind == .number { return true }
        guard token.kind.isWord else { return false }
        if c.cueAt[t] >= 0 { return false }
        // The form's bits read once for the three sets (each `contains` reads them again).
        let bits = c.cache.bits(of: token.form)
        if npBreak.matches(bits) || time.matches(bits) {
            // `Theresa May said`: a capitalized word that ends a name is part of it, even when it
            // is also a modal or a month (in a headline's capitals the next word is capitalized too).
            return token.flags.contains(.capitalized) && t > 0 && c.text.tokens[t - 1].kind == .word
                && c.isCapitalized(t - 1) && !c.text.isSentenceInitial(token: t)
                && (t + 1 >= c.text.tokens.count || !c.isCapitalized(t + 1))
        }
        // `actually`, `essentially`: adverbs; `isn't`, `we've`: a verb is glued on.
        let shape = shapes.shape(of: token.form)
        if !token.flags.contains(.capitalized) && shape.contains(.ly) && !adverbNotLy.matches(bits) { return false }
        return !shape.contains(.clitic)
    }

    /// The subject left of a cue starting at token `cueStart`.
    func leftSubject(before cueStart: Int, in sentence: Range<Int>) -> Range<Int>? {
        var j = cueStart - 1
        while j >= sentence.lowerBound {
            if c.text.tokens[j].kind.isWord {
                // The form's set bits read once for the three sets.
                let bits = c.cache.bits(of: c.form(j))
                if skipBeforeCue.matches(bits) || time.matches(bits)
                    || (!c.isCapitalized(j) && endsWith(c.form(j), .ly) && !adverbNotLy.matches(bits)) {
                    j -= 1
                    continue
                }
            }
            // `who in 2010 said`: a year after its preposition.
            if c.text.tokens[j].kind == .number, j - 1 > sentence.lowerBound, innerPreposition.contains(c.form(j - 1)) {
                j -= 2
                continue
            }
            break
        }
        guard j >= sentence.lowerBound else { return nil }
        let f = c.form(j)
        // `family members, many of whom say`: a quantity of the relative pronoun's people.
        if f == whom || f == which, j - 2 >= sentence.lowerBound, c.form(j - 1) == of, c.hasNoun(at: j - 2) || pluralQuantifiers.contains(c.form(j - 2)) {
            return (j - 2)..<(j + 1)
        }
        if pronouns.contains(f) || contractedPronouns.contains(f) { return j..<(j + 1) }
        // `DuVernay’s “13th” documents`: a title in quotation marks (three words at most), with
        // the name of its owner before it.
        if closingQuote.contains(f), closesAShortTerm(j) {
            var open = j - 1
            while open > sentence.lowerBound && !openingQuote.contains(c.form(open)) { open -= 1 }
            guard openingQuote.contains(c.form(open)) else { return nil }
            var start = open
            if open - 1 >= sentence.lowerBound, c.text.tokens[open - 1].kind.isWord, isNounLike(open - 1) {
                start = walkLeft(from: open - 1, in: sentence)
            }
            return start..<(j + 1)
        }
        if f == comma { return apposition(endingAt: j, in: sentence) }
        if isDash(j) { return dashApposition(endingAt: j, in: sentence) }
        let end = j + 1
        // `Joseph R. Biden Jr. responded`: the full stop of a title after the name.
        if f == period, j - 1 >= sentence.lowerBound, titles.contains(c.form(j - 1)) { j -= 1 }
        if f == closeParen {
            // `Paul Ryan (R-Wis.) said`: step over the parenthesis.
            var k = j - 1
            while k >= sentence.lowerBound && j - k < 8 && c.form(k) != openParen { k -= 1 }
            guard k > sentence.lowerBound, c.form(k) == openParen else { return nil }
            j = k - 1
            guard j >= sentence.lowerBound else { return nil }
        }
        guard isNounLike(j) else { return nil }
        var start = walkLeft(from: j, in: sentence)
        // `Mr. Grassley and Mr. Leahy said`, `China and Russia support`: names joined from the
        // sentence's start are one voice (inside a sentence, `X attacked Clinton and Obama said`
        // would join an object to a subject).
        if start - 2 >= sentence.lowerBound, c.form(start - 1) == and || c.form(start - 1) == or,
           c.text.tokens[start - 2].kind.isWord, isNounLike(start - 2), c.isCapitalized(start - 2) || c.isCapitalized(start) {
            let first = walkLeft(from: start - 2, in: sentence)
            if first == sentence.lowerBound || openingQuote.contains(c.form(first - 1)) { start = first }
        }
        // `One of the doctors who sent the letter called`: the object of a relative clause; the
        // voice is the phrase the clause belongs to.
        if start - 3 >= sentence.lowerBound, c.form(start - 2) == who, isTransitivePast(start - 1, in: sentence),
           c.text.tokens[start - 3].kind.isWord, isNounLike(start - 3) {
            return trimmed(walkLeft(from: start - 3, in: sentence)..<(start - 2))
        }
        // `to keep details of`, `could leak details to`: a lowercase word right after `to` or a
        // modal is a verb, not part of a voice; what follows it may still be the voice of a bare
        // infinitive (`to help people understand`: `people`), `to him` is not a verb.
        if start > sentence.lowerBound, infinitive.contains(c.form(start - 1)), c.text.tokens[start].kind.isWord,
           !c.isCapitalized(start), !determiners.contains(c.form(start)), !objectPronouns.contains(c.form(start)),
           !c.hasNoun(at: start) {
            return start + 1 < end ? trimmed((start + 1)..<end) : nil
        }
        // `Protesters marching through the streets chanted`, `officials meeting in Geneva said`: the
        // phrase found is where a participle's subject went; the voice is that subject.
        if start - 3 >= sentence.lowerBound, nounAfter.contains(c.form(start - 1)) || c.form(start - 1) == through,
           c.text.tokens[start - 2].kind == .word, endsWith(c.form(start - 2), .ing), c.cueAt[start - 2] < 0,
           c.text.tokens[start - 3].kind.isWord, c.hasNoun(at: start - 3) || c.isCapitalized(start - 3) {
            let head = start - 3
            return trimmed(walkLeft(from: head, in: sentence)..<(head + 1))
        }
        return trimmed(start..<end)
    }

    /// `X, apposition, said`: the noun phrase before the first comma and the apposition.
    private func apposition(endingAt secondComma: Int, in sentence: Range<Int>) -> Range<Int>? {
        var k = secondComma - 1
        var cueInside = false
        while k > sentence.lowerBound && secondComma - k <= Self.maxRelativeClause {
            let token = c.text.tokens[k]
            if token.form == comma { break }
            // A quotation or another clause mark between the commas: not an apposition. (The
            // apostrophe of a plural possessive, `veterans' families`, is part of a word.)
            let pluralPossessive = closingQuote.contains(token.form) && !token.flags.contains(.spaceBefore) && k > sentence.lowerBound
                && shapes.shape(of: c.form(k - 1)).contains(.s)
            // (`at the NBC/MSNBC forum`: a slash joins two names.)
            if token.kind == .punctuation && token.form != period && token.form != openParen && token.form != closeParen && !pluralPossessive
                && token.form != slash {
                return nil
            }
            if c.cueAt[k] >= 0 { cueInside = true }
            k -= 1
        }
        // A cue between the commas is a clause of its own, unless a relative pronoun opens it
        // (`Mr. Obama, who understood that ..., told`).
        // `Jane Roe, and then in the years after ...,`: a clause that opens with a conjunction or
        // a contrast is no apposition.
        guard k > sentence.lowerBound, c.form(k) == comma, secondComma - k > 1, !cueInside || c.form(k + 1) == who || c.form(k + 1) == which,
              !conjunctions.contains(c.form(k + 1)), !contrastive.contains(c.form(k + 1)),
              secondComma - k - 1 <= Self.maxApposition || c.form(k + 1) == who
        else { return nil }
        var head = k - 1
        // `Schiff, 56, who has served ..., told`: an age between commas follows the name.
        if c.text.tokens[head].kind == .number, head - 2 >= sentence.lowerBound, c.form(head - 1) == comma { head -= 2 }
        // `Ashton, Md., who ...`: the full stop of an abbreviation ends the word before it.
        if c.form(head) == period, head - 1 > sentence.lowerBound, c.text.tokens[head - 1].kind.isWord, c.isCapitalized(head - 1) {
            head -= 1
        }
        if c.form(head) == closeParen {
            // `Lindsey Graham (R-S.C.), a senator, said`: the name is before the parenthesis.
            var open = head - 1
            while open > sentence.lowerBound && head - open < 8 && c.form(open) != openParen { open -= 1 }
            guard open > sentence.lowerBound, c.form(open) == openParen else { return nil }
            head = open - 1
        }
        // The head names someone, or the apposition is the name (`one of the lawyers, Jane Roe,`).
        guard c.text.tokens[head].kind.isWord, isNounLike(head),
              c.isCapitalized(head) || c.hasNoun(at: head) || c.isCapitalized(k + 1)
        else { return nil }
        var start = walkLeft(from: head, in: sentence)
        if let name = nameBeforeHometown(start, in: sentence) { start = name }
        // `In August, several groups granted ..., saying`: a phrase after an opening preposition
        // is an adverbial, and what follows its comma the clause, not an apposition.
        if start > sentence.lowerBound, innerPreposition.contains(c.form(start - 1)),
           start - 1 == sentence.lowerBound {
            return nil
        }
        // `Clinton, at Monday’s debate,`, `Trump, speaking to veterans,`, `Clinton, like Obama,`:
        // an adverbial between the commas tells where or how, not who; the voice ends before it.
        let opener = c.form(k + 1)
        if (innerPreposition.contains(opener) && opener != of) || adverbialOpeners.contains(opener)
            || (c.text.tokens[k + 1].kind == .word && !c.isCapitalized(k + 1) && endsWith(opener, .ing) && opener != including) {
            return trimmed(start..<k)
        }
        return trimmed(start..<secondComma)
    }

    /// `he appeared to suggest`, `Stumpf seemed to blame`, `Sanders went on to say`, `..., going on
    /// to contrast`: a verb that passes its subject on to the infinitive after it (raising); that
    /// subject is the voice of a cue after `to`. (`plans to announce`, `wants to say`: a voice's
    /// intentions, not yet words, stay out.)
    private func raisedVoice(of cue: Cue, in sentence: Range<Int>) -> Range<Int>? {
        let t = cue.tokens.lowerBound
        guard t - 2 > sentence.lowerBound, c.form(t - 1) == to else { return nil }
        var verb = t - 2
        if c.form(verb) == on && goForms.contains(c.form(verb - 1)) {
            verb -= 1
        } else if !raisingVerbs.contains(c.form(verb)) {
            return nil
        }
        if verb - 1 > sentence.lowerBound, c.form(verb - 1) == comma, endsWith(c.form(verb), .ing) {
            return clauseSubject(before: verb, in: sentence)
        }
        return leftSubject(before: verb, in: sentence)
    }

    /// The token before `t`, stepping back over the adverbs and auxiliaries a cue may have
    /// (`but also contended`, `and has since called`).
    private func beforeAdverbs(_ t: Int, in sentence: Range<Int>) -> Int {
        var b = t - 1
        while b > sentence.lowerBound && t - b <= 3 && c.text.tokens[b].kind == .word && skipBeforeCue.contains(c.form(b)) { b -= 1 }
        return b
    }

    /// `Demonstrators, who have taken to the streets and called for ...`: a cue after `and` in a
    /// relative clause has the relative pronoun for its subject (as PolNeAR marks it): `who` or
    /// `which` between the cue and the comma that opened the clause, with no other cue between.
    private func relativeSubject(before conjunction: Int, in sentence: Range<Int>) -> Range<Int>? {
        var k = conjunction - 1
        while k > sentence.lowerBound && conjunction - k <= 25 {
            let f = c.form(k)
            // (`which she was doing`: the pronoun is the object there, not the subject.)
            if f == who || f == which {
                let next = c.form(k + 1)
                let subject = c.form(k - 1) == comma && !pronouns.contains(next) && !determiners.contains(next) && !c.isCapitalized(k + 1)
                return subject ? k..<(k + 1) : nil
            }
            if f == comma || f == semicolon || c.cueAt[k] >= 0 || c.text.tokens[k].kind == .punctuation && f != period { return nil }
            k -= 1
        }
        return nil
    }

    /// A dash of the writer's: `—`, `–`, `―`, or a hyphen standing alone (`--`, ` - `).
    private func isDash(_ t: Int) -> Bool {
        let form = c.form(t)
        return speakerDash.contains(form) || (c.text.tokens[t].kind == .punctuation && form == hyphen)
    }

    /// `Kall -- co-editor of a book about the debates -- said`, `The transcript–published by the
    /// Post–shows`: an apposition between dashes, which may hold commas of its own; the voice is
    /// the phrase before it with the apposition.
    private func dashApposition(endingAt closing: Int, in sentence: Range<Int>) -> Range<Int>? {
        var k = closing
        while k - 1 > sentence.lowerBound && isDash(k - 1) { k -= 1 }
        let inner = k
        var cueAt: Int?
        k -= 1
        while k > sentence.lowerBound && inner - k <= Self.maxRelativeClause {
            if isDash(k) { break }
            let token = c.text.tokens[k]
            // A quotation, a clause mark or a cue between the dashes: an aside, not an apposition.
            if token.kind == .punctuation && token.form != comma && token.form != period
                && token.form != openParen && token.form != closeParen { return nil }
            if c.cueAt[k] >= 0 { cueAt = k }
            k -= 1
        }
        // (A relative clause may run longer than an apposition, as between commas.)
        guard k > sentence.lowerBound, isDash(k), inner - k > 1,
              inner - k - 1 <= Self.maxApposition || c.form(k + 1) == who || c.form(k + 1) == which
        else { return nil }
        // A participle may open it (`–published by the Post–`), or a relative pronoun (`― which
        // weaves together the voices of ... ―`); any other cue makes it a clause.
        if let cue = cueAt, c.form(k + 1) != who, c.form(k + 1) != which {
            let form = c.form(cue)
            guard cue == k + 1, endsWith(form, .ed) || endsWith(form, .ing) || irregularPast.contains(form) else { return nil }
        }
        var head = k - 1
        while head > sentence.lowerBound && isDash(head) { head -= 1 }
        guard c.text.tokens[head].kind.isWord, isNounLike(head) else { return nil }
        let start = walkLeft(from: head, in: sentence)
        guard namesSomeone(start..<(head + 1)) else { return nil }
        return trimmed(start..<(closing + 1))
    }

    /// `Johnnie Wilson, of Springfield, Va., said`, `Donna Rawlings, 59, of Ashton, Md., who ...`:
    /// a home town between commas (with its state, and an age before it) follows a name. Given the
    /// first token of the phrase before an apposition, the first token of that name, or nil when
    /// the phrase is no home town.
    private func nameBeforeHometown(_ start: Int, in sentence: Range<Int>) -> Int? {
        var town = start
        // The state after its town: `of Ashton, Md.`.
        if town - 2 > sentence.lowerBound, c.form(town - 1) == comma, c.isCapitalized(town),
           c.text.tokens[town - 2].kind.isWord, c.isCapitalized(town - 2) {
            let before = walkLeft(from: town - 2, in: sentence)
            if before - 1 > sentence.lowerBound, c.form(before - 1) == of || c.form(before - 1) == from { town = before }
        }
        guard c.isCapitalized(town), town - 3 >= sentence.lowerBound,
              c.form(town - 1) == of || c.form(town - 1) == from, c.form(town - 2) == comma
        else { return nil }
        var nameEnd = town - 3
        if c.text.tokens[nameEnd].kind == .number, nameEnd - 2 >= sentence.lowerBound, c.form(nameEnd - 1) == comma { nameEnd -= 2 }
        guard c.text.tokens[nameEnd].kind.isWord, c.isCapitalized(nameEnd) else { return nil }
        return walkLeft(from: nameEnd, in: sentence)
    }

    /// Whether a past form follows the first word of `phrase` (`the event brought back memories`,
    /// `the plan failed`): a clause, not a voice, however noun-like its other words look.
    private func hasPastVerb(_ phrase: Range<Int>) -> Bool {
        phrase.dropFirst().contains { t in
            c.text.tokens[t].kind == .word && !c.isCapitalized(t) && (endsWith(c.form(t), .ed) || irregularPast.contains(c.form(t)))
        }
    }

    /// `the council issued a policy paper`, `it sent the letter`: a past form after a noun or a
    /// pronoun and before its object (a determiner, a pronoun, a name) is the verb of a clause,
    /// not part of a noun phrase (`the retired general`, `a poll released in August`).
    private func isTransitivePast(_ k: Int, in sentence: Range<Int>) -> Bool {
        let f = c.form(k)
        guard k - 1 >= sentence.lowerBound, k + 1 < sentence.upperBound, c.text.tokens[k].kind == .word, !c.isCapitalized(k),
              endsWith(f, .ed) || irregularPast.contains(f),
              c.text.tokens[k - 1].kind == .word, isNounLike(k - 1) || pronouns.contains(c.form(k - 1)),
              !determiners.contains(c.form(k - 1))
        else { return false }
        let next = c.form(k + 1)
        return determiners.contains(next) || objectPronouns.contains(next)
            || (c.isCapitalized(k + 1) && c.text.tokens[k + 1].kind == .word)
    }

    /// The first token of the noun phrase ending at `j`.
    private func walkLeft(from j: Int, in sentence: Range<Int>) -> Int {
        var start = j
        while start - 1 >= sentence.lowerBound && j - start < Self.maxPhrase {
            let k = start - 1
            let f = c.form(k)
            // The form's set bits read once for the sets tested on it below.
            let bits = c.cache.bits(of: f)
            // `A 2014 study by Loyola Law School professor Justin Levitt found`: a document and its author.
            if f == by, k - 1 >= sentence.lowerBound, c.nounTypeIndex(at: k - 1) == SourcesAnnotator.SourceAttributeTable.document {
                start = k
                continue
            }
            if innerPreposition.matches(bits) {
                // Only between two noun-like words: `spokesman for the campaign`; not after a verb
                // with its pronoun subject (`I hope in 2017 America says`: the voice is `2017 America`).
                guard k - 1 >= sentence.lowerBound, isNounLike(k - 1), !determiners.contains(c.form(k - 1)),
                      !verbAfterPronoun(k - 1, in: sentence)
                else { break }
                start = k
                continue
            }
            // `the 34-year-old mother`: a hyphen that joins a number to the word after it.
            if c.text.tokens[k].kind == .punctuation, f == hyphen, k - 1 >= sentence.lowerBound,
               c.text.tokens[k - 1].kind == .number, !c.text.tokens[k].flags.contains(.spaceBefore),
               !c.text.tokens[k + 1].flags.contains(.spaceBefore) {
                start = k
                continue
            }
            // `Mr.`, `Sen.`: a title's full stop; `Joseph R. Biden`: an initial's.
            if f == period, k - 1 >= sentence.lowerBound,
               titles.contains(c.form(k - 1)) || (c.isCapitalized(k - 1) && c.text.forms.bytes(Int(c.form(k - 1))).count == 1) {
                start = k
                continue
            }
            guard isNounLike(k) || determiners.matches(bits) else { break }
            if pronouns.matches(bits) || verbAfterPronoun(k, in: sentence) { break }
            if isTransitivePast(k, in: sentence) { break }
            start = k
        }
        return start
    }

    /// A lowercase word right after a subject pronoun is its verb (`we hope`, `she wants`), not
    /// part of a noun phrase.
    private func verbAfterPronoun(_ t: Int, in sentence: Range<Int>) -> Bool {
        t - 1 >= sentence.lowerBound && !c.isCapitalized(t) && pronouns.contains(c.form(t - 1))
            && c.nounTypeIndex(at: t - 1) != SourcesAnnotator.SourceAttributeTable.unknown
    }

    /// The noun phrase right after a cue (`according to the poll`, `said Mr. Smith`). `loose`:
    /// after `according to` anything nominal starts it; after an inverted verb it must look like a
    /// subject (a name, a determiner, a pronoun, a source noun).
    func rightPhrase(from first: Int, in sentence: Range<Int>, loose: Bool) -> Range<Int>? {
        var j = first
        while j < sentence.upperBound, c.text.tokens[j].kind == .word, skipBeforeCue.contains(c.form(j)) { j += 1 }
        guard j < sentence.upperBound else { return nil }
        let f = c.form(j)
        if pronouns.contains(f) { return j..<(j + 1) }
        // `said of RT`: a preposition opens what the words were about, not a voice.
        guard isNounLike(j) || determiners.contains(f), loose || !innerPreposition.contains(f) else { return nil }
        var end = j + 1
        while end < sentence.upperBound && end - j < Self.maxPhrase {
            let g = c.form(end)
            if innerPreposition.contains(g) || (loose && g == by) {
                // `of the campaign`, `by the Post`; `on Monday` ends it.
                guard end + 1 < sentence.upperBound, isNounLike(end + 1) || determiners.contains(c.form(end + 1)),
                      !time.contains(c.form(end + 1))
                else { break }
                end += 1
                continue
            }
            // `Sen.`, `John D. Podesta`: the full stop of a title or an initial.
            if g == period, titles.contains(c.form(end - 1))
                || (c.isCapitalized(end - 1) && c.text.forms.bytes(Int(c.form(end - 1))).count == 1) { end += 1; continue }
            // `9/11 widow Terry Strada`: a slash between two numbers is one date.
            if g == slash, end + 1 < sentence.upperBound, c.text.tokens[end - 1].kind == .number, c.text.tokens[end + 1].kind == .number {
                end += 2
                continue
            }
            guard isNounLike(end) || determiners.contains(g), !pronouns.contains(g) else { break }
            end += 1
        }
        if !loose {
            // After an inverted verb the phrase must look like a subject: it opens with a name, a
            // determiner or a source noun, or its head is one (`one source on the panel`, `widow
            // Terry Strada`; not `cited problems in the Middle East`, an object); and it ends at
            // punctuation, else it was the start of a content.
            let head = (j..<end).first(where: { innerPreposition.contains(c.form($0)) }) ?? end
            guard c.isCapitalized(j) || determiners.contains(f) || (j..<head).contains(where: { c.hasNoun(at: $0) || c.isCapitalized($0) })
            else { return nil }
            // `wrote Cameron Easley for Morning Consult`, `said Smith in an interview`: a
            // preposition may follow the voice too.
            if end < sentence.upperBound && c.text.tokens[end].kind != .punctuation && !innerPreposition.contains(c.form(end)) { return nil }
        }
        return trimmed(j..<end)
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int>? {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end && (leadTrim.contains(c.form(start)) || !c.text.tokens[start].kind.isWord && c.text.tokens[start].kind != .number) {
            start += 1
        }
        while end > start && (c.text.tokens[end - 1].kind == .punctuation && c.form(end - 1) != closeParen && c.form(end - 1) != period
                              || articles.contains(c.form(end - 1)) || innerPreposition.contains(c.form(end - 1))) {
            end -= 1
        }
        return start < end ? start..<end : nil
    }
}

/// The bits of the word sets `EnglishAttribution` tests, looked up by name once per layout
/// (`SetLayout.englishBits`): per text they cost a string-keyed dictionary lookup each.
struct EnglishSetBits: Sendable {
    let skipBeforeCue: UInt64
    let time: UInt64
    let npBreak: UInt64
    let innerPreposition: UInt64
    let leadTrim: UInt64
    let determiners: UInt64
    let pronouns: UInt64
    let contractedPronouns: UInt64
    let inverting: UInt64
    let invertsAfterContent: UInt64
    let objectPronouns: UInt64
    let pluralWithoutS: UInt64
    let pluralQuantifiers: UInt64
    let introductory: UInt64
    let quantityHeads: UInt64
    let pollNouns: UInt64
    let gerundPrepositions: UInt64
    let nounMarkers: UInt64
    let irregularPast: UInt64
    let titles: UInt64
    let complement: UInt64
    let be: UInt64
    let conjunctions: UInt64
    let contrastive: UInt64
    let nounAfter: UInt64
    let adverbNotLy: UInt64
    let infinitive: UInt64
    let articles: UInt64
    let introducesContent: UInt64
    let progressive: UInt64
    let speakerDash: UInt64
    let closingQuote: UInt64
    let openingQuote: UInt64
    let colonStop: UInt64
    let raisingVerbs: UInt64
    let goForms: UInt64
    let passivePrepositions: UInt64
    let adverbialOpeners: UInt64
    let claimNouns: UInt64
    let possessivePronouns: UInt64
    let summoned: UInt64
    let callForms: UInt64
    let compoundNounHeads: UInt64
    let questionAuxiliaries: UInt64

    init(_ layout: SetLayout) {
        func bit(_ name: String) -> UInt64 { layout.bitOfSet[name] ?? 0 }
        skipBeforeCue = bit("skipBeforeCue")
        time = bit("time")
        npBreak = bit("npBreak")
        innerPreposition = bit("innerPreposition")
        leadTrim = bit("leadTrim")
        determiners = bit("determiners")
        pronouns = bit("pronouns")
        contractedPronouns = bit("contractedPronouns")
        inverting = bit("inverting")
        invertsAfterContent = bit("invertsAfterContent")
        objectPronouns = bit("objectPronouns")
        pluralWithoutS = bit("pluralWithoutS")
        pluralQuantifiers = bit("pluralQuantifiers")
        introductory = bit("introductory")
        quantityHeads = bit("quantityHeads")
        pollNouns = bit("pollNouns")
        gerundPrepositions = bit("gerundPrepositions")
        nounMarkers = bit("nounMarkers")
        irregularPast = bit("irregularPast")
        titles = bit("titles")
        complement = bit("complement")
        be = bit("be")
        conjunctions = bit("conjunctions")
        contrastive = bit("contrastive")
        nounAfter = bit("nounAfter")
        adverbNotLy = bit("adverbNotLy")
        infinitive = bit("infinitive")
        articles = bit("articles")
        introducesContent = bit("introducesContent")
        progressive = bit("progressive")
        speakerDash = bit("speakerDash")
        closingQuote = bit("closingQuote")
        openingQuote = bit("openingQuote")
        colonStop = bit("colonStop")
        raisingVerbs = bit("raisingVerbs")
        goForms = bit("goForms")
        passivePrepositions = bit("passivePrepositions")
        adverbialOpeners = bit("adverbialOpeners")
        claimNouns = bit("claimNouns")
        possessivePronouns = bit("possessivePronouns")
        summoned = bit("summoned")
        callForms = bit("callForms")
        compoundNounHeads = bit("compoundNounHeads")
        questionAuxiliaries = bit("questionAuxiliaries")
    }
}

/// The single words the English rules compare forms with (`,`, `by`, `that`): their form ids
/// in a text are found through `table`, which holds their bytes and hashes, in case order.
enum FixedWord: Int, CaseIterable {
    case comma
    case colon
    case openParen
    case closeParen
    case period
    case by
    case what
    case into
    case inWord
    case that
    case who
    case of
    case like
    case and
    case or
    case slash
    case one
    case from
    case on
    case worth
    case without
    case including
    case contributed
    case which
    case whom
    case through
    case semicolon
    case to
    case know
    case hyphen
    case ingForm

    /// The normalized form.
    var text: String {
        switch self {
        case .comma: ","
        case .colon: ":"
        case .openParen: "("
        case .closeParen: ")"
        case .period: "."
        case .by: "by"
        case .what: "what"
        case .into: "into"
        case .inWord: "in"
        case .that: "that"
        case .who: "who"
        case .of: "of"
        case .like: "like"
        case .and: "and"
        case .or: "or"
        case .slash: "/"
        case .one: "one"
        case .from: "from"
        case .on: "on"
        case .worth: "worth"
        case .without: "without"
        case .including: "including"
        case .contributed: "contributed"
        case .which: "which"
        case .whom: "whom"
        case .through: "through"
        case .semicolon: ";"
        case .to: "to"
        case .know: "know"
        case .hyphen: "-"
        case .ingForm: "ing"
        }
    }

    /// The words interned in case order: a word's id here is its `rawValue`.
    static let table: FormTable = {
        var table = FormTable(capacity: allCases.count * 2)
        for word in allCases {
            let id = table.intern(word.text)
            precondition(id == word.rawValue, "FixedWord: each word once, in case order")
        }
        return table
    }()
}
