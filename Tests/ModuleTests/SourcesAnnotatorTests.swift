import AnnotationModel
import BuiltinModules
import RulePacks
import SourcesModule
import Testing

/// The sources module on fixture sentences written for these tests: spans, `named`, `type` and
/// the cue → source links the quotations module relies on.
private func annotate(_ text: String, options: [String: [String]] = [:]) throws -> [Annotation] {
    let language: Language = text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } ? .arabic : .english
    return try SourcesAnnotator().annotate(AnnotationRequest(text: text, language: language, options: options))
}

private struct Found {
    let all: [Annotation]
    var cues: [Annotation] { all.filter { $0.kind == .cue } }
    var sources: [Annotation] { all.filter { $0.kind == .source } }
    func cue(_ text: String) -> Annotation? { cues.first { $0.text == text } }
    func source(_ text: String) -> Annotation? { sources.first { $0.text == text } }
    /// The source text a cue links to.
    func sourceText(of cue: Annotation) -> String? {
        guard let id = cue.link(AnnotationLink.source) else { return nil }
        return all.first { $0.id == id }?.text
    }
}

private func found(_ text: String, options: [String: [String]] = [:]) throws -> Found {
    Found(all: try annotate(text, options: options))
}

@Suite struct SourcesAnnotatorTests {
    @Test func descriptor() {
        let descriptor = SourcesAnnotator().descriptor
        #expect(descriptor.name == "sources")
        #expect(Set(descriptor.kinds.map(\.kind)) == [.source, .cue])
        #expect(descriptor.languages == [.english, .arabic])
        #expect(descriptor.scope == .paragraph)
        #expect(BuiltinModules.annotators().first?.descriptor.name == "sources")
    }

    @Test func packTestsPass() throws {
        let (failures, count) = RulePackTests.run(try SourcesAnnotator.rulePacks(), pipeline: BuiltinModules.pipeline())
        #expect(count >= 8)
        #expect(failures.isEmpty, "\(failures)")
    }

    // MARK: English

    @Test func subjectBeforeVerb() throws {
        let f = try found("Officials said the talks had stalled.")
        let cue = try #require(f.cue("said"))
        #expect(f.sourceText(of: cue) == "Officials")
        let source = try #require(f.source("Officials"))
        #expect(source.attributes["named"] == .bool(false))
        #expect(source.attributes["type"] == .string("government"))
    }

    @Test func aNameAtTheSentenceStartIsNamedWhenTheTextWritesItAsOne() throws {
        // `Stein` opens the sentence, so its capital proves nothing by itself; the text writes
        // it capitalized mid-sentence too (`Jill Stein`) and never in lowercase.
        let f = try found("Green Party candidate Jill Stein was escorted out. Stein said she was not arrested.")
        #expect(f.source("Stein")?.attributes["named"] == .bool(true))
        // `Prices` at a sentence start is not a name: the text writes it in lowercase too.
        let g = try found("Prices said little. The prices said more.")
        #expect(g.source("Prices") == nil || g.source("Prices")?.attributes["named"] == .bool(false))
    }

    @Test func aSourceNounInsideANameIsNamed() throws {
        let f = try found("The New York Post reports that the visit was cut short. The Post has learned more.")
        #expect(f.source("The New York Post")?.attributes["named"] == .bool(true))
        #expect(f.source("The Post")?.attributes["named"] == .bool(true))
        #expect(f.source("The Post")?.attributes["type"] == .string("media"))
        // Not written as a name: a post is a document, and unnamed.
        let g = try found("A post on the forum said the vote was rigged, and the post was shared.")
        #expect(g.source("A post on the forum")?.attributes["named"] == .bool(false))
    }

    @Test func aStanceInsideReportedContentIsNotANewAttribution() throws {
        let f = try found("Clinton now says she opposes the deal, and he said he believes it failed.")
        #expect(f.cue("says") != nil)
        #expect(f.cue("opposes") == nil)
        #expect(f.cue("believes") == nil)
        // On its own the same stance is an attribution.
        let g = try found("Clinton opposes the deal.")
        #expect(g.cue("opposes") != nil)
    }

    @Test func aParticipleAfterAReportingClauseSharesItsSource() throws {
        let f = try found("“We know what we are changing,” DuVernay said in an interview, emphasizing why the past matters.")
        let cue = try #require(f.cue("emphasizing"))
        #expect(f.sourceText(of: cue) == "DuVernay")
        // One source for both cues, not two.
        #expect(f.sources.filter { $0.text == "DuVernay" }.count == 1)
        // Another cue between them starts a clause of its own: no shared voice.
        let g = try found("Sanders said the plan, which critics opposed, failed, citing the numbers.")
        #expect(g.cue("citing").flatMap(g.sourceText(of:)) != "Sanders")
    }

    @Test func aReportInsideAQuotationOpensNoContentOutsideIt() throws {
        // `say` is Clinton's own word inside the quotation; `she continued` is the article's attribution.
        let f = try found("“Maybe I can, by speaking directly to people, say, look, this is not who we are,” she continued.")
        #expect(f.cue("continued").flatMap(f.sourceText(of:)) == "she")
        #expect(f.cue("say") == nil)
    }

    @Test func aContrastOpensAClauseOutsideTheReportedContent() throws {
        let f = try found("Stein said she hoped to get in, though she acknowledged it was unlikely.")
        #expect(f.cue("acknowledged") != nil)
        // Without the contrast it is still part of what Stein said.
        let g = try found("Stein said she hoped to get in and she believes it will work.")
        #expect(g.cue("believes") == nil)
    }

    @Test func anOfficialBeforeAPastTenseIsTheSubject() throws {
        let f = try found("A department official said Friday that hackers had targeted the systems.")
        let cue = try #require(f.cue("said"))
        #expect(f.sourceText(of: cue) == "A department official")
        // `an official statement`: the adjective, and no cue.
        let g = try found("The ministry issued an official statement on Monday.")
        #expect(g.cue("statement") == nil)
    }

    @Test func aVerbAfterItsPronounIsNoPartOfTheNextSubject() throws {
        let f = try found("I hope in 2017 America says thank you.")
        #expect(f.cue("says").flatMap(f.sourceText(of:)) == "2017 America")
        // A preposition between two nouns still joins them.
        let g = try found("A spokesman for the campaign said the talks stalled.")
        #expect(g.cue("said").flatMap(g.sourceText(of:)) == "A spokesman for the campaign")
    }

    @Test func anArticleCapitalizedAtTheSentenceStartIsNotAName() throws {
        let f = try found("The spokesman said the talks had stalled.")
        #expect(f.source("The spokesman")?.attributes["named"] == .bool(false))
        #expect(try found("Jill Stein said the talks had stalled.").source("Jill Stein")?.attributes["named"] == .bool(true))
    }

    @Test func adverbsBetweenTheAuxiliaryAndTheProgressive() throws {
        let f = try found("Donald Trump is once again questioning the integrity of the vote.")
        let cue = try #require(f.cue("is once again questioning"))
        #expect(f.sourceText(of: cue) == "Donald Trump")
    }

    @Test func aPhrasalVerbAfterAndKeepsTheElidedSubject() throws {
        let f = try found("She criticized the trade deals and called for steep new tariffs.")
        #expect(f.cue("called for") != nil)
    }

    @Test func callingAMeetingOrCallingInIsNotReporting() throws {
        let f = try found("The council called an emergency meeting to discuss the test.")
        #expect(f.cue("called") == nil)
        let g = try found("She recently called in to a town hall about policing.")
        #expect(g.cue("called") == nil)
        // Naming or judging something is still a cue.
        let h = try found("Clinton called her vote in favor of the war a mistake.")
        #expect(h.cue("called") != nil)
    }

    @Test func aClaimNounWithItsOwnerAndContent() throws {
        let f = try found("Politifact checked Donald Trump’s claim that there were thousands of shootings.")
        let cue = try #require(f.cue("claim"))
        #expect(cue.attributes["category"] == .string("noun"))
        #expect(f.sourceText(of: cue) == "Donald Trump’s")
        let g = try found("Contrary to his latest claim that people would learn nothing, they did.")
        #expect(g.cue("claim").flatMap(g.sourceText(of:)) == "his")
        // Without a content the noun is only a noun.
        #expect(try found("Politifact checked Trump’s claims about Chicago.").cue("claims") == nil)
    }

    @Test func aStudyReportsItsFigures() throws {
        let f = try found("A 2014 study found 31 incidents of voter impersonation.")
        #expect(f.cue("found") != nil)
        // A company adding jobs reports nothing.
        #expect(try found("The company added 500 jobs last month.").cue("added") == nil)
    }

    @Test func everyWordSetOfThePacksHasItsOwnBit() throws {
        // The sets are tested by bit; a pack with more sets than bits once left the last ones
        // (`titles`) silently empty, and `Mr. Obama` lost its title.
        let f = try found("During the hearings, Mr. Clarke said he happened to be in Richmond.")
        #expect(f.cue("said").flatMap(f.sourceText(of:)) == "Mr. Clarke")
    }

    @Test func aContractedPronounIsTheSubjectWithoutItsAuxiliary() throws {
        let f = try found("They’ve denounced the ruling, and she's argued that it was unfair.")
        let cue = try #require(f.cue("denounced"))
        #expect(f.sourceText(of: cue) == "They")
        #expect(f.sourceText(of: try #require(f.cue("argued"))) == "she")
    }

    @Test func arabicVerbAfterARelativePronounHasNoSourceAfterIt() throws {
        // `اللوحات التي توضح المناطق`: the relative is the subject; what follows is the object.
        let f = try found("وطالب بقراءة التعليمات على اللوحات التي توضح المناطق المخصصة للسباحة.")
        #expect(f.source("المناطق المخصصة للسباحة") == nil)
        // A report keeps its cue: `الذي أكد أن ...`.
        let g = try found("وزار الوزير الذي أكد أن المشروع سيكتمل قريبا.")
        let cue = try #require(g.cue("أكد"))
        #expect(g.sourceText(of: cue) == nil)
    }

    @Test func arabicSubjectStopsAtAnAccusativeAndAfterBiAnna() throws {
        let f = try found("وقال زوج المعلمة متحفظاً على ذكر اسمه إن ابنته متفوقة.")
        #expect(f.sourceText(of: try #require(f.cue("قال"))) == "زوج المعلمة")
        // `على ذكر اسمه`: a verbal noun after a preposition, not a cue.
        #expect(f.cue("ذكر") == nil)
        let g = try found("صرح المتحدث الأمني بوزارة الداخلية بأنه تم القبض على المتهم.")
        #expect(g.sourceText(of: try #require(g.cue("صرح"))) == "المتحدث الأمني بوزارة الداخلية")
    }

    @Test func arabicSubjectStopsWhereTheObjectOrContentBegins() throws {
        // A verbal noun after the definite head starts the object.
        let f = try found("من جهتها، أكدت اللجنة الوطنية لحقوق الإنسان تصاعد الأعمال المسلحة في المدينة.")
        #expect(f.sources.map(\.text) == ["اللجنة الوطنية لحقوق الإنسان"])
        // Before a definite head the same noun is part of a name: `رئيس لجنة متابعة الأعمال`.
        let g = try found("وقال رئيس لجنة متابعة الأعمال إن العمل مستمر.")
        #expect(g.sources.map(\.text) == ["رئيس لجنة متابعة الأعمال"])
        // `فإن` opens the content; the Dutch `فان` is part of a name.
        let h = try found("وبحسب التقرير فإن المشاريع تستأثر بنحو نصف الإنفاق.")
        #expect(h.sources.map(\.text) == ["التقرير"])
        let i = try found("وقال الهولندي لويس فان غال إن الفريق جاهز.")
        #expect(i.sources.map(\.text) == ["الهولندي لويس فان غال"])
        // `إننا`: the quoted speaker's own words begin.
        let j = try found("وقال الرئيس الأميركي إننا ملتزمون بمراقبة النشاط.")
        #expect(j.sources.map(\.text) == ["الرئيس الأميركي"])
        // An adverb ends it too.
        let k = try found("ودعا الرئيس المصري أكثر من مرة إلى تجديد الخطاب.")
        #expect(k.sources.map(\.text) == ["الرئيس المصري"])
    }

    @Test func arabicNoSubjectInAnAddresseeOrAnObjectAfterTheVerb() throws {
        // `لـ` + noun is the one spoken to.
        let f = try found("وأكد للمجلس أن العمل مستمر.")
        #expect(f.cue("أكد") != nil)
        #expect(f.sources.isEmpty)
        // A verbal noun straight after the verb is its object; the subject came before.
        let g = try found("وهذا الهجوم يؤكد قدرة وزارة الداخلية على المواجهة.")
        #expect(g.sources.isEmpty)
        // After `بات` the participle is a predicate, not a cue.
        let h = try found("بات مؤكدا غياب اللاعب عن المباراة.")
        #expect(h.cue("مؤكدا") == nil)
    }

    @Test func arabicALongTitleDoesNotStopInsideAName() throws {
        let f = try found("وأوضح رئيس برنامج موهبة الإثرائي بمدارس الرياض الأستاذ أحمد بن محمد العمود أن البرنامج ناجح.")
        #expect(f.sources.map(\.text) == ["رئيس برنامج موهبة الإثرائي بمدارس الرياض الأستاذ أحمد بن محمد العمود"])
        // At the phrase limit a name is not left at `بن`.
        let g = try found("وقال مدير إدارة شؤون الزيارة بوكالة شؤون المسجد النبوي الشريف الأستاذ ياسر بن محمد الجيار إن العمل مستمر.")
        #expect(g.sources.first?.text.hasSuffix("ياسر بن محمد") == true)
    }

    @Test func arabicParticipleSaysMoreInTheVoiceBeforeIt() throws {
        let f = try found("وقال وزير الطاقة سهيل المزروعي إن القرار صائب، مضيفا أن الأسعار ستتغير.")
        let cue = try #require(f.cue("مضيفا"))
        #expect(f.sourceText(of: cue) == "وزير الطاقة سهيل المزروعي")
        // A plural verb carries its own subject: no voice from before.
        let g = try found("وقالت المقررة إن معارضي القانون أكدوا أن القانون ليس له أثر.")
        #expect(g.sourceText(of: try #require(g.cue("أكدوا"))) == nil)
        // Nothing before it in the sentence: no source.
        #expect(try found("مشيرا إلى أن العمل مستمر.").sources.isEmpty)
    }

    @Test func arabicOneLetterTitlesKeepTheirFullStop() throws {
        let f = try found("وقال د. محمد العيسى إن البرنامج ناجح. وقال أ.د. سعد الحسين إن النتائج جيدة.")
        #expect(f.sources.map(\.text) == ["د. محمد العيسى", "أ.د. سعد الحسين"])
    }

    @Test func arabicTheOneSpokenToAndEachOf() throws {
        // `قال له`: the addressee, not the speaker.
        #expect(try found("فقال لي مبتسما إنه لا يعلم.").sources.isEmpty)
        // `كل من X وY`: both are the voice; a relative clause after them is not.
        let f = try found("وأعلنت كل من البحرين وعمان اللتين تعانيان عجزا أنهما ستخففان الدعم.")
        #expect(f.sources.map(\.text) == ["كل من البحرين وعمان"])
    }

    @Test func arabicInAccordanceWithIsNoAttribution() throws {
        // `وفق`، `حسب` before a rule or a need: no one is quoted.
        #expect(try found("وتسير الرحلات وفق جدول زمني محدد.").cues.isEmpty)
        #expect(try found("وتوزع المساعدات حسب الحاجة.").cues.isEmpty)
        #expect(try found("ويعامل كل متقدم وفقا للدرجة التي حصل عليها.").cues.isEmpty)
        #expect(try found("وتختلف الخدمات وفقا لاحتياجاتهم.").cues.isEmpty)
        // Before a voice it is one: a source noun, or a name in quotation marks that ends the phrase.
        let f = try found("وبحسب مصادر طبية فإن عدد القتلى ارتفع.")
        #expect(f.sources.map(\.text) == ["مصادر طبية"])
        let g = try found("وبحسب «رويترز» رغم تصويت الأعضاء بقي السعر.")
        #expect(g.sources.map(\.text) == ["«رويترز»"])
        // `حسبما` + a reporting verb: the verb carries the voice.
        let h = try found("وقتل شخصان حسبما أفاد مصدر أمني.")
        #expect(h.cue("حسبما") == nil)
        #expect(h.cue("أفاد").flatMap(h.sourceText(of:)) == "مصدر أمني")
    }

    @Test func arabicAdverbsEndTheSubject() throws {
        let f = try found("لكنه يضيف فورا أنه لا شيء يوحي بذلك.")
        #expect(f.sources.isEmpty)
        // `سابقا` inside a title is part of it.
        let g = try found("وأكد المرشح لرئاسة النادي سابقا زياد بن حجاب أن الخصخصة هي الحل.")
        #expect(g.sources.map(\.text) == ["المرشح لرئاسة النادي سابقا زياد بن حجاب"])
    }

    @Test func arabicAccordingToWhatSomeoneSaid() throws {
        // The verb after `ما` is a cue: it carries the voice, `بحسب` adds none.
        let f = try found("الجلود هشة بحسب ما ذكرت صحيفة دايلي ميل البريطانية.")
        #expect(f.cue("بحسب") == nil)
        #expect(f.sourceText(of: try #require(f.cue("ذكرت"))) == "صحيفة دايلي ميل البريطانية")
        // Not a cue (ذكره, with its object pronoun): the subject after it is the voice.
        let g = try found("ستبدأ العمليات الشهر المقبل، وفقا لما ذكره البيت الأبيض.")
        #expect(g.sourceText(of: try #require(g.cue("وفقا"))) == "البيت الأبيض")
    }

    @Test func arabicSourceKeepsAQuotedName() throws {
        let f = try found("وذكرت شبكة \"فوكس نيوز\" الإخبارية الأمريكية، أن القوات اعتقلت 150 شخصا.")
        #expect(f.sourceText(of: try #require(f.cue("ذكرت"))) == "شبكة \"فوكس نيوز\" الإخبارية الأمريكية")
    }

    @Test func theSubjectOfAParticipleBeforeThePhrase() throws {
        let f = try found("The city was calm. Protesters marching through the streets chanted slogans and kept going.")
        #expect(f.cue("chanted").flatMap(f.sourceText) == "Protesters")
    }

    @Test func aParticipleAfterANamedVoicesClauseWithoutAContent() throws {
        let f = try found("On Thursday, however, Trump spoke to a gathering of industry leaders, promising to lift regulations.")
        #expect(f.cue("promising").flatMap(f.sourceText) == "Trump")
    }

    @Test func aQuotedContentEndsWhereItsQuotationCloses() throws {
        let f = try found("The spot shows Trump saying during the debate, “That makes me smart,” when Clinton blasted him for it.")
        #expect(f.cue("blasted").flatMap(f.sourceText) == "Clinton")
    }

    @Test func aGerundAfterAPrepositionHasTheClausesSubject() throws {
        let f = try found("She started off by emphasizing economic fairness.")
        #expect(f.cue("emphasizing").flatMap(f.sourceText) == "She")
        let g = try found("He refuses to name appointees, aside from saying he wants a diverse delegation.")
        #expect(g.cue("saying").flatMap(g.sourceText) != "aside")
    }

    @Test func aLongTitleBetweenCommas() throws {
        let f = try found("David Kamin, an outside adviser to the campaign on tax and budget issues and an associate professor at New York University School of Law, said that the campaign was looking closely.")
        #expect(f.cue("said").flatMap(f.sourceText)?.hasPrefix("David Kamin, an outside adviser") == true)
    }

    @Test func hyphenatedAgesAndTheMediaAsVoices() throws {
        let f = try found("When pressed on the plan, the 34-year-old mother of three replied, “It is meant for everyone.”")
        #expect(f.cue("replied").flatMap(f.sourceText) == "the 34-year-old mother of three")
        let g = try found("The council met to discuss the test, which state news media claimed now allows a bomb.")
        #expect(g.cue("claimed").flatMap(g.sourceText) == "state news media")
        #expect(g.source("state news media")?.attributes["type"] == .string("media"))
    }

    @Test func inAPollAttributesItsFigures() throws {
        let f = try found("In this poll, Trump rose 1 percentage point since Monday.")
        #expect(f.cue("In").flatMap(f.sourceText) == "this poll")
        #expect(f.source("this poll")?.attributes["type"] == .string("document"))
        #expect(try found("He lives in Ohio and votes in every election.").cues.isEmpty)
    }

    @Test func aPollPhraseRunsOverSlashesConjunctionsAndParts() throws {
        let slash = try found("In the latest Gazette/Channel 9 News state poll, Ruiz led by four points.")
        #expect(slash.cue("In").flatMap(slash.sourceText) == "the latest Gazette/Channel 9 News state poll")
        let joined = try found("The mayor fared well in online and phone polls taken after the forum.")
        #expect(joined.cue("in").flatMap(joined.sourceText)?.hasPrefix("online and phone polls") == true)
        let part = try found("She saw no gain in one of the first tracking polls to appear.")
        #expect(part.cue("in").flatMap(part.sourceText) == "one of the first tracking polls")
        // A poll that only modifies the head names no poll: `the poll station`, `poll workers`.
        #expect(try found("He waited in one of the rooms of the poll station.").cues.isEmpty)
        #expect(try found("Volunteers worked in long poll worker shifts.").cues.isEmpty)
    }

    @Test func anAppositionBetweenDashes() throws {
        let f = try found("Lee -- a co-author of the study, a survey of rural clinics -- said the results surprised her.")
        #expect(f.cue("said").flatMap(f.sourceText) == "Lee -- a co-author of the study, a survey of rural clinics")
        let g = try found("The audit of the agency–released by the state auditor–shows that costs doubled.")
        #expect(g.cue("shows").flatMap(g.sourceText) == "The audit of the agency–released by the state auditor")
        // A clause between the dashes (a cue of its own) is an aside, not the voice's apposition.
        let h = try found("The mayor -- the council said -- noted that costs doubled.")
        #expect(h.cue("noted").flatMap(h.sourceText) != "The mayor -- the council said")
    }

    @Test func aRaisingVerbPassesItsSubjectToTheCue() throws {
        let f = try found("At the rally he appeared to suggest that the vote was rigged.")
        #expect(f.cue("suggest").flatMap(f.sourceText) == "he")
        // `plans to`, `wants to`: intentions, not yet words.
        let g = try found("At the rally he wanted to suggest that the vote was rigged.")
        #expect(g.cue("suggest") == nil)
    }

    @Test func aClaimWithAnAdjectiveAfterItsOwner() throws {
        let f = try found("The video contradicts his earlier claim that the driver had fled.")
        #expect(f.cue("claim").flatMap(f.sourceText) == "his")
    }

    @Test func aParticipleAfterTheClausesObjectIsTheSubjects() throws {
        let f = try found("Ruiz spoke on Monday about the closing of the plant in Flint, Michigan, arguing that jobs would return.")
        #expect(f.cue("arguing").flatMap(f.sourceText) == "Ruiz")
        let g = try found("Last year the council issued a policy paper welcoming the new rules.")
        #expect(g.cue("welcoming").flatMap(g.sourceText) == "the council")
        let h = try found("The campaign released an ad this week showing the senator at a rally.")
        #expect(h.cue("showing").flatMap(h.sourceText) == "The campaign")
        // The object of a relative clause is not the voice of the verb after it.
        let i = try found("One of the doctors who signed the letter called the treatment a fraud.")
        #expect(i.cue("called").flatMap(i.sourceText) == "One of the doctors")
    }

    @Test func theWritersOwnRemarkIsNoAttribution() throws {
        #expect(try found("It is worth noting that the bill was large.").cues.isEmpty)
        #expect(try found("It goes without saying that the bill was large.").cues.isEmpty)
    }

    @Test func aSourceNounBeforeAParticipleHeadsTheVoice() throws {
        let f = try found("A union representing bus drivers endorsed the mayor on Friday.")
        #expect(f.cue("endorsed").flatMap(f.sourceText) == "A union representing bus drivers")
        // `call` and `demand` in their bare forms, after a plural or coordinated subject.
        let g = try found("Smith and Jones call them reckless.")
        #expect(g.cue("call").flatMap(g.sourceText) != nil)
        let h = try found("The lawmakers demand that the minister resign.")
        #expect(h.cue("demand").flatMap(h.sourceText) == "The lawmakers")
        // A slash inside an apposition joins two names (the apposition, an adverbial, is then
        // left out of the voice).
        let i = try found("Lopez, speaking at the ABC/CBS forum, cited problems abroad.")
        #expect(i.cue("cited").flatMap(i.sourceText) == "Lopez")
    }

    @Test func elidedSubjectsAfterAdverbsAndInRelativeClauses() throws {
        let f = try found("His sister agreed, but also contended that the estate was hers.")
        #expect(f.cue("contended").flatMap(f.sourceText) == "His sister")
        let g = try found("The crowd grew near the farmers, who have marched for days and called for new prices.")
        #expect(g.cue("called for").flatMap(g.sourceText) == "who")
        // `which she was doing`: the pronoun is the object of its clause, not a voice.
        let h = try found("She went to the studio, which she visited often and praised for its staff.")
        #expect(h.cue("praised").flatMap(h.sourceText) != "which")
        let i = try found("The Gazette tracking poll, which tracks support for the candidates daily, showed that the race was tied.")
        #expect(i.cue("showed").flatMap(i.sourceText)?.hasPrefix("The Gazette tracking poll") == true)
        let j = try found("Lopez and his aides have also had harsh words for the panel, telling reporters that it was unfair.")
        #expect(j.cue("telling").flatMap(j.sourceText) == "Lopez and his aides")
    }

    @Test func votesRatingsLinksAndOffersAreAttributions() throws {
        let f = try found("A Senate panel voted Thursday to subpoena the records.")
        #expect(f.cue("voted").flatMap(f.sourceText) == "A Senate panel")
        let g = try found("The senator repeatedly linked the outage to the new software.")
        #expect(g.cue("linked").flatMap(g.sourceText) == "The senator")
        let h = try found("The governor offered no evidence for the claim.")
        #expect(h.cue("offered").flatMap(h.sourceText) == "The governor")
    }

    @Test func lettersSentAndPapersPublished() throws {
        let f = try found("The city sent a cease-and-desist letter on Thursday.")
        #expect(f.cue("sent a cease-and-desist letter").flatMap(f.sourceText) == "The city")
        let g = try found("On Sunday, the Gazette published portions of the report.")
        #expect(g.cue("published").flatMap(g.sourceText) == "the Gazette")
    }

    @Test func clausesOfTheWriterInsideAReport() throws {
        // A conjunction and a new named subject: a clause coordinated with the report.
        let f = try found("Republicans said they were convinced the agency erred and Democrats accused them of stalling.")
        #expect(f.cue("accused").flatMap(f.sourceText) == "Democrats")
        // A relative clause about a phrase of the content.
        let g = try found("Officials said they gave the files to the Gazette, which first reported the story.")
        #expect(g.cue("reported").flatMap(g.sourceText) == "which")
        // A pronoun after `and` stays inside what was reported.
        let h = try found("Stein said she would run and she believes she can win.")
        #expect(h.cue("believes") == nil)
    }

    @Test func aGerundOpeningTheSentenceHasTheSubjectAfterIt() throws {
        let f = try found("After saying the vote was rigged, the senator was escorted out.")
        #expect(f.cue("saying").flatMap(f.sourceText) == "the senator")
        let g = try found("In defending his record, Lopez offered new figures.")
        #expect(g.cue("defending").flatMap(g.sourceText) == "Lopez")
    }

    @Test func aCapitalizedCueInsideANameIsPartOfIt() throws {
        #expect(try found("Guests included Ana Ruiz and Stevie Wonder, who sang twice.").cue("Wonder") == nil)
        #expect(try found("On The Late Morning Show on Tuesday, Lopez spoke of taxes.").cue("Show") == nil)
        // A headline's verb stays a cue: the words after it are capitalized too, or it ends there.
        let headline = try found("Plant Closing Will Hurt Town, Mayor Lopez Says.")
        #expect(headline.cue("Says").flatMap(headline.sourceText) == "Mayor Lopez")
    }

    @Test func aDateWithASlashInAnInvertedVoice() throws {
        let f = try found("“The bill is wrong,” said 9/11 widow Ana Ruiz.")
        #expect(f.cue("said").flatMap(f.sourceText) == "9/11 widow Ana Ruiz")
    }

    @Test func aPassiveParticipleAfterACommonNounIsNoCue() throws {
        #expect(try found("The lawyer defended people accused of fraud.").cue("accused") == nil)
        #expect(try found("Much of it comes from the laws proposed during his term.").cue("proposed") == nil)
        // A complement after `to` keeps the verb: `officials agreed to the plan`.
        let f = try found("Two officials agreed to the plan on Monday.")
        #expect(f.cue("agreed").flatMap(f.sourceText) == "Two officials")
    }

    @Test func aTitleInQuotationMarksAsTheVoice() throws {
        let f = try found("The film “Hidden Lives” shows how the town changed.")
        #expect(f.cue("shows").flatMap(f.sourceText) == "The film “Hidden Lives”")
        let g = try found("Ruiz’s “13th” shows how the town changed.")
        #expect(g.cue("shows").flatMap(g.sourceText) == "Ruiz’s “13th”")
        // A singer's words: `sings`.
        let h = try found("In the clip, Lopez sings a ballad to the crowd.")
        #expect(h.cue("sings").flatMap(h.sourceText) == "Lopez")
    }

    @Test func aParticipleAfterTheObjectOfAReportSharesItsVoice() throws {
        let f = try found("“We will win,” she said at a news conference announcing that the state would sue.")
        #expect(f.cue("announcing").flatMap(f.sourceText) == "she")
        let g = try found("A group of parents sent a letter to the school board urging them to reconsider.")
        #expect(g.cue("urging").flatMap(g.sourceText) == "A group of parents")
    }

    @Test func aPluralAfterAnAdjectiveAfterAPossessorIsANoun() throws {
        #expect(try found("Lopez cited the mayor’s past references to the plant.").cue("references") == nil)
        // The word between can be the subject itself: `the ad’s narrator says`.
        let f = try found("“It works,” the ad’s narrator says.")
        #expect(f.cue("says").flatMap(f.sourceText) == "the ad’s narrator")
    }

    @Test func aFilmWithARelativeClauseBetweenDashes() throws {
        let f = try found("The film ― which follows three nurses, their patients and the families of the patients through a long winter in a small town, among other stories ― explains how the clinic closed.")
        #expect(f.cue("explains").flatMap(f.sourceText)?.hasPrefix("The film ― which follows") == true)
    }

    @Test func aParticipleAfterARelativeClausesReportGoesWithTheMainClause() throws {
        let f = try found("Lopez was defensive about a builder who said he was never paid for the work, saying, “He did a poor job.”")
        #expect(f.cue("said").flatMap(f.sourceText) == "who")
        #expect(f.cue("saying").flatMap(f.sourceText) == "Lopez")
    }

    @Test func voiceBoundaries() throws {
        // Initials inside an inverted voice.
        let f = try found("“It was a fair deal,” said John D. Miller, a former aide.")
        #expect(f.cue("said").flatMap(f.sourceText) == "John D. Miller")
        // A question word before the voice is not part of it.
        let g = try found("The gap between what Lopez says and what the plan does is wide.")
        #expect(g.cue("says").flatMap(g.sourceText) == "Lopez")
        // An adverbial between commas tells where or how, not who.
        let h = try found("Lopez, at Monday’s hearing, cited new figures.")
        #expect(h.cue("cited").flatMap(h.sourceText) == "Lopez")
        let i = try found("Lopez, speaking to reporters, cited new figures.")
        #expect(i.cue("cited").flatMap(i.sourceText) == "Lopez")
        // ... but who they are stays: an apposition, `including` its members.
        let j = try found("Other unions, including the teachers, have endorsed Lopez.")
        #expect(j.cue("endorsed").flatMap(j.sourceText) == "Other unions, including the teachers")
        // Names joined from the sentence's start are one voice.
        let k = try found("Mr. Grassley and Mr. Leahy say the program needs reform.")
        #expect(k.cue("say").flatMap(k.sourceText) == "Mr. Grassley and Mr. Leahy")
        // A credit line is no attribution.
        #expect(try found("Ana Ruiz contributed reporting.").cues.isEmpty)
    }

    @Test func aHomeTownAndAnAgeBetweenCommasFollowTheName() throws {
        let town = try found("Maria Lopez, of Dayton, Ohio, said the vote was close.")
        #expect(town.cue("said").flatMap(town.sourceText) == "Maria Lopez, of Dayton, Ohio")
        let age = try found("Ana Ruiz, 61, of Laurel, Md., who stood in line for hours, said the wait was worth it.")
        #expect(age.cue("said").flatMap(age.sourceText)?.hasPrefix("Ana Ruiz, 61, of Laurel, Md.") == true)
        // What follows `said` there is a clause (a past verb in it), never an inverted voice.
        let clause = try found("Ana Ruiz, 61, said the meeting brought back memories of her youth.")
        #expect(clause.cue("said").flatMap(clause.sourceText) == "Ana Ruiz, 61")
    }

    @Test func aDashOrSemicolonEndsWhatWasReported() throws {
        let f = try found("But Fowler said the politics would be more intense — and he noted that any change would come later.")
        #expect(f.cue("noted").flatMap(f.sourceText) == "he")
        let g = try found("Republicans said the timing was not intentional; they learned of it on Friday and disclosed it.")
        #expect(g.cue("learned").flatMap(g.sourceText) == "they")
        // An adverb between a weak verb and its complement: `complain bitterly that`.
        let h = try found("Maybe it is to be expected. Companies and individuals complain bitterly that taxes are too high.")
        #expect(h.cue("complain") != nil)
    }

    @Test func aQuantityOfWhomIsTheVoice() throws {
        let f = try found("It has not gone over well with the families, many of whom say the claims are wrong.")
        #expect(f.cue("say").flatMap(f.sourceText) == "many of whom")
    }

    @Test func aStrongVerbInThePassive() throws {
        let f = try found("However, a different side of the story was being told by The Daily Caller, which found an old story.")
        #expect(f.cue("told").flatMap(f.sourceText) == "The Daily Caller")
        let g = try found("The mayor was told that the plan would fail.")
        #expect(g.sourceText(of: try #require(g.cue("told"))) == nil)
    }

    @Test func aPassiveWithItsAgentAttributesToTheAgent() throws {
        let f = try found("The registration issue was first reported by The Washington Post.")
        #expect(f.sourceText(of: try #require(f.cue("reported"))) == "The Washington Post")
        // Without an agent a passive reports nobody's words.
        let g = try found("The first sentence has been clarified.")
        #expect(g.cue("clarified") == nil)
    }

    @Test func aRelativeClauseAfterAnInvertedVoiceIsNotContent() throws {
        let f = try found("“It is simple,” said Mr. Kamin, who emphasized that the returns would be short.")
        #expect(f.sourceText(of: try #require(f.cue("emphasized"))) == "who")
    }

    @Test func thingsThatLookLikeReportingButAreNot() throws {
        // A credit line, a telephone call, a filler, a question, the writer's naming of a thing.
        let f = try found("(Reporting by Valerie Volcovici; Editing by Will Dunham.)")
        #expect(f.cue("Reporting") == nil)
        #expect(try found("She recently called into a radio program.").cue("called") == nil)
        #expect(try found("“And, you know, I don't think so,” Axelrod said.").cue("know") == nil)
        #expect(try found("Do you know where the returns are?").cue("know") == nil)
        #expect(try found("Ban Ki-moon condemned what he called a brazen breach of the resolutions.").cue("called") == nil)
        // The same verbs reporting a voice still do.
        #expect(try found("He called the plan a disaster.").cue("called") != nil)
    }

    @Test func subjectAfterQuotation() throws {
        let f = try found("“We will not retreat,” the minister said on Monday.")
        let cue = try #require(f.cue("said"))
        #expect(f.sourceText(of: cue) == "the minister")
        #expect(f.source("the minister")?.attributes["named"] == .bool(false))
        #expect(f.source("the minister")?.attributes["type"] == .string("person"))
    }

    @Test func invertedVerb() throws {
        let f = try found("“It is over,” said Maria Lopez, a spokeswoman for the club.")
        let cue = try #require(f.cue("said"))
        #expect(f.sourceText(of: cue) == "Maria Lopez")
        #expect(f.source("Maria Lopez")?.attributes["named"] == .bool(true))
    }

    @Test func anInvertedVoiceAfterWhatWasSaid() throws {
        // `..., said Batchelder.`: the clause before the comma is what was said, not an apposition
        // of a subject; the voice is the name after the verb.
        let f = try found("But for some, the losses would outstrip the gains, said Batchelder.")
        #expect(f.cue("said").flatMap(f.sourceText) == "Batchelder")
        // A voice after the verb need not open with a name or an article: a number word, a
        // lowercase title before the name.
        let g = try found("“It was a pointless fight,” said one source on the panel.")
        #expect(g.cue("said").flatMap(g.sourceText) == "one source on the panel")
        let h = try found("“They are wrong,” said widow Terry Strada.")
        #expect(h.cue("said").flatMap(h.sourceText) == "widow Terry Strada")
        // ... but a subject with its apposition keeps its verb when a content follows it.
        let i = try found("Tom Jones, a senior adviser, said Democrats were ahead.")
        #expect(i.cue("said").flatMap(i.sourceText) == "Tom Jones, a senior adviser")
    }

    @Test func aLongRelativeClauseBetweenTheVoiceAndItsVerb() throws {
        let f = try found("Dr. Jane Roe, who as a Navy captain was the White House physician in the administration of a former president and later retired from the service as a rear admiral, said that the records were complete.")
        #expect(f.cue("said").flatMap(f.sourceText)?.hasPrefix("Dr. Jane Roe, who as a Navy captain") == true)
        // A long clause that is not a relative one is not taken for an apposition.
        let g = try found("Jane Roe, and then in the years after the war when the old administration of the city was replaced and everything changed for good, said the records were complete.")
        #expect(g.cue("said").flatMap(g.sourceText) == nil)
    }

    @Test func initialsAndTitlesAfterTheNameStayInTheVoice() throws {
        let f = try found("Speaking to students, Vice President Joseph R. Biden Jr. responded to the remark.")
        #expect(f.cue("responded").flatMap(f.sourceText) == "Vice President Joseph R. Biden Jr.")
        let g = try found("“It is over,” Loretta E. Lynch said.")
        #expect(g.cue("said").flatMap(g.sourceText) == "Loretta E. Lynch")
    }

    @Test func theHeadOfAnAppositionOrBeforeAParenthesisNamesTheVoice() throws {
        // A weak verb needs a voice that names someone: the name before the apposition or the
        // parenthesis does (the phrase's last word, `debate` or `)`, does not). An adverbial
        // between the commas is no part of the voice.
        let f = try found("Trump has targeted her since Clinton, at Monday’s debate, cited his comments.")
        #expect(f.cue("cited").flatMap(f.sourceText) == "Clinton")
        let g = try found("In the hearing, Sen. Claire McCaskill (D-Mo.) scolded him.")
        #expect(g.cue("scolded").flatMap(g.sourceText) == "Sen. Claire McCaskill (D-Mo.)")
    }

    @Test func aProgressiveBeforeAPhrasalCue() throws {
        let f = try found("The note was changed to reflect that Fowler is calling for a process to pick a successor.")
        #expect(f.cue("is calling for").flatMap(f.sourceText) == "Fowler")
    }

    @Test func aNameThatEndsInAModalOrAMonth() throws {
        let f = try found("British Prime Minister Theresa May said this week that the country would leave.")
        #expect(f.cue("said").flatMap(f.sourceText) == "British Prime Minister Theresa May")
        // In a headline's capitals the next word is capitalized too: `Will` is the modal.
        let g = try found("Clinton Will Win, Trump Says")
        #expect(g.cue("Says").flatMap(g.sourceText) == "Trump")
    }

    @Test func negatedAuxiliariesBeforeTheCue() throws {
        let f = try found("Donald Trump isn't saying much about debate preparation.")
        #expect(f.cue("isn't saying").flatMap(f.sourceText) == "Donald Trump")
        let g = try found("The campaign's aides haven't said much about the debate.")
        #expect(g.cue("said").flatMap(g.sourceText) == "The campaign's aides")
    }

    @Test func aRelativeClauseWithACueOfItsOwnAndAVoiceBeforeAPreposition() throws {
        let f = try found("Mr. Obama, who understood that a push would be fruitless, told his advisers to find a way.")
        #expect(f.cue("told").flatMap(f.sourceText) == "Mr. Obama, who understood that a push would be fruitless")
        #expect(f.cue("understood").flatMap(f.sourceText) == "who")
        let g = try found("“The impact is still small,” wrote Cameron Easley for Morning Consult.")
        #expect(g.cue("wrote").flatMap(g.sourceText) == "Cameron Easley")
    }

    @Test func anAdverbThatAlsoMarksANounBeforeAPastTense() throws {
        // `further details` is a noun; `Mook further asserted` a verb after its adverb.
        let f = try found("Robby Mook further asserted that the claims were false.")
        #expect(f.cue("asserted").flatMap(f.sourceText) == "Robby Mook")
        #expect(try found("There were no further details.").cues.isEmpty)
    }

    @Test func commonPeopleNounsNameAVoice() throws {
        // A stance needs a subject that names someone: the pack's people nouns do.
        let f = try found("Although she was the top student, school administrators decided she should share the honor.")
        #expect(f.cue("decided").flatMap(f.sourceText) == "school administrators")
        #expect(f.source("school administrators")?.attributes["type"] == .string("group"))
        let g = try found("Other major unions, including the American Federation of Teachers, have also endorsed Clinton in the race.")
        #expect(g.cue("endorsed").flatMap(g.sourceText) == "Other major unions, including the American Federation of Teachers")
    }

    @Test func aDocumentWithItsAuthorOrItsSubject() throws {
        let f = try found("Fraud is rare. A 2014 study by law professor Justin Levitt found 31 incidents of impersonation.")
        #expect(f.cue("found").flatMap(f.sourceText) == "A 2014 study by law professor Justin Levitt")
        let g = try found("Video of the incident shows him with his hands in the air.")
        #expect(g.cue("shows").flatMap(g.sourceText) == "Video of the incident")
    }

    @Test func aBareFormAfterASingularSubjectIsANoun() throws {
        // Verbs agree with their subject: `the insurance lobby`, `Republican support` are nouns.
        #expect(try found("It failed because of opposition by Congress and the insurance lobby.").cues.isEmpty)
        #expect(try found("Republican support was more solid than before.").cues.isEmpty)
        // Plural heads, coordinated names, heads before a preposition, auxiliaries agree.
        let g = try found("Officials in Washington say the talks failed.")
        #expect(g.cue("say").flatMap(g.sourceText) == "Officials in Washington")
        let f = try found("But Mr. Grassley and Mr. Leahy say other changes are needed. China and Russia support the government.")
        #expect(f.cue("say") != nil)
        #expect(f.cue("support") != nil)
        #expect(try found("Most people say the plan failed.").cue("say") != nil)
        // Bare forms of the lexicon's verbs: with a plural voice a verb, after a whole singular
        // noun phrase a noun (`on a Spanish reality show`).
        let p = try found("Polls show a close contest. She appeared on a Spanish reality show.")
        #expect(p.cue("show").flatMap(p.sourceText) == "Polls")
        #expect(p.cues.count == 1)
        #expect(try found("Donald Trump does not want the plan.").cue("want") != nil)
    }

    @Test func anSFormAfterAPluralOrABareWordIsANoun() throws {
        #expect(try found("But too many calls today still roll over to backup centers.").cues.isEmpty)
        #expect(try found("The group will hammer her with negative ads, mailers and phone calls.").cues.isEmpty)
        // Names ending in `s` are singular; pronouns with their auxiliary still name a voice.
        let f = try found("Reuters reports that the talks failed.")
        #expect(f.cue("reports").flatMap(f.sourceText) == "Reuters")
        #expect(try found("Though he’s heralded plans to tax carried interest, little changed.").cue("heralded") != nil)
    }

    @Test func whatAReportCoversInItsSentence() throws {
        // `..., the source added.` closes the sentence: it attributes all of it, even after a
        // report whose content the sentence holds.
        let f = try found("Clinton had told police officials that she didn’t want the escort, but the NYPD overruled that request, the source added.")
        #expect(f.cue("added").flatMap(f.sourceText) == "the source")
        // A voice right after a quotation said the quotation; what follows is not its content.
        let g = try found("“It never crossed my mind,” she said months later, and a reason was the rise of Donald Trump, who had talked about the things she believed.")
        #expect(g.cue("talked about").flatMap(g.sourceText) == "who")
        // ... while `Stein said she plans` stays one report.
        #expect(try found("Stein said she plans to run again.").cue("plans") == nil)
    }

    @Test func aCueWithAnElidedSubjectTakesTheClausesSubject() throws {
        let f = try found("Scott beamed and asked the crowd to welcome the governor.")
        #expect(f.cue("asked").flatMap(f.sourceText) == "Scott")
        let g = try found("The United Nations Security Council on Friday made a strong condemnation of the test and pledged to impose further measures.")
        #expect(g.cue("pledged").flatMap(g.sourceText) == "The United Nations Security Council")
        // `citing` what names nobody: the participle of the clause's voice.
        let h = try found("In 1986, the Supreme Court blocked the sale, citing a threat to public health.")
        #expect(h.cue("citing").flatMap(h.sourceText) == "the Supreme Court")
        let i = try found("The paper ran the story, citing unnamed officials.")
        #expect(i.cue("citing").flatMap(i.sourceText) == "unnamed officials")
        // A relative clause between owns the cue: no voice from the sentence's start.
        let j = try found("They are examples of a network that has trafficked in conspiracy theories and presented grim views of the country.")
        #expect(j.sourceText(of: try #require(j.cue("presented"))) == nil)
    }

    @Test func onlyVerbsOfSayingInvertAfterTheWritersPunctuation() throws {
        let f = try found("Hillary Clinton — who’s called for tax hikes on the rich — lambasted the plan.")
        #expect(f.cue("lambasted").flatMap(f.sourceText) != "the plan")
        #expect(f.cue("called for").flatMap(f.sourceText) == "who")
        let g = try found("“It is a disgrace,” blasted Jane Roe.")
        #expect(g.cue("blasted").flatMap(g.sourceText) == "Jane Roe")
        let h = try found("Debates are not likely to alter the campaign, noted NBC’s Dante Chinni.")
        #expect(h.cue("noted").flatMap(h.sourceText) == "NBC’s Dante Chinni")
        let i = try found("It’s denouncing what it calls a coordinated attack.")
        #expect(i.cue("denouncing").flatMap(i.sourceText) == "It")
    }

    @Test func citingWhatNamesNobodyIsTheVoicesOwnParticiple() throws {
        let f = try found("“It has changed for the better,” McConnell said in June 2012, citing the release of prisoners.")
        #expect(f.cue("citing").flatMap(f.sourceText) == "McConnell")
        let g = try found("Citing an unfounded conspiracy theory, Trump repeatedly accused his rival's father.")
        #expect(g.cue("Citing").flatMap(g.sourceText) == "Trump")
        // The text ends where the clause's verb would be: no verb, no voice, and nothing read past it.
        let h = try found("Citing a theory, Trump on Friday")
        #expect(h.sourceText(of: try #require(h.cue("Citing"))) == "a theory")
    }

    @Test func aTimeOrAnAdverbBetweenTheVoiceAndItsVerb() throws {
        let f = try found("He clashed with McConnell, who in 2010 said the goal was to beat Obama.")
        #expect(f.cue("said").flatMap(f.sourceText) == "who")
        let g = try found("China and the United States, which together vowed to act, met in Paris.")
        #expect(g.cue("vowed").flatMap(g.sourceText) == "which")
        let h = try found("The weeks have gone by. Now Melania seems to have vanished from the trail.")
        #expect(h.cue("seems").flatMap(h.sourceText) == "Melania")
    }

    @Test func wordSoupNeverBreaksTheRules() throws {
        // The English rules index tokens around a cue in both directions (appositions, clause
        // subjects, inverted voices, years after prepositions): on arbitrary sequences of the words
        // and marks they look for, every span stays in the text and every link resolves.
        let vocabulary = ["said", "says", "told", "added", "citing", "Citing", "and", "who", "which", "that", ",", ".",
                          ":", "“", "”", "\"", "(", ")", "—", "in", "2010", "on", "Friday", "of", "a", "number", "the",
                          "The", "Mr.", "R.", "Jr.", "Trump", "officials", "lobby", "calls", "many", "further", "it’s",
                          "to", "would", "is", "calling", "for", "\n", "\n\n", "according", "Now", "Say", "WALLACE:",
                          "whom", "many", "through", "marching", ";", "was", "being", "by", "bitterly", "56", "veterans", "'"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<300 {
            let text = (0..<(1 + next(60))).map { _ in vocabulary[next(vocabulary.count)] }.joined(separator: " ")
            let all = try annotate(text)
            let ids = Set(all.map(\.id))
            let utf8 = Array(text.utf8)
            for annotation in all {
                // Ranges are UTF-8 offsets; the text they name is the text at them.
                #expect(annotation.range.lowerBound >= 0 && annotation.range.upperBound <= utf8.count, "in \(text)")
                #expect(String(decoding: utf8[annotation.range], as: UTF8.self) == annotation.text, "in \(text)")
                for link in annotation.links { #expect(ids.contains(link.target), "in \(text)") }
            }
        }
    }

    @Test func agesPossessivesAndLongAdverbialsAroundTheVoice() throws {
        let f = try found("Schiff, 56, who has served on the committee for a decade, told reporters the threat was real.")
        #expect(f.cue("told reporters").flatMap(f.sourceText) == "Schiff, 56, who has served on the committee for a decade")
        let g = try found("Rucker Culpepper, who runs the effort for military veterans' families, said the ads were wrong.")
        #expect(g.cue("said").flatMap(g.sourceText) == "Rucker Culpepper, who runs the effort for military veterans' families")
        let h = try found("In my early 20s, when my mother mentioned the devil to me while driving on the highway, I laughed and said, “I don't believe in the devil.”")
        #expect(h.cue("said").flatMap(h.sourceText) == "I")
    }

    @Test func aQuotedTermDoesNotHideTheClausesSubject() throws {
        let f = try found("Trump has used the phrase “Islamic terrorism” often in his campaign, and criticized Obama for it.")
        #expect(f.cue("criticized").flatMap(f.sourceText) == "Trump")
        let g = try found("Cruz exhorted Republicans to \"vote your conscience\" and said he stood on principle.")
        #expect(g.cue("said").flatMap(g.sourceText) == "Cruz")
        // A quotation of someone's words in between is another voice's: no subject across it.
        let h = try found("The senator read “a long statement about the state of the party tonight” and then added that it was over.")
        #expect(h.sourceText(of: try #require(h.cue("added"))) == nil)
    }

    @Test func aParticipleAfterACommaSharesTheClausesSubject() throws {
        let f = try found("Democratic presidential nominee Hillary Clinton chimed in on Twitter, saying that officials should release the videos.")
        #expect(f.cue("saying").flatMap(f.sourceText) == "Democratic presidential nominee Hillary Clinton")
        let g = try found("A reporter for USA Today spotted Stein and her press secretary and reported her presence on Twitter.")
        #expect(g.cue("reported").flatMap(g.sourceText) == "A reporter for USA Today")
        // An opening `In August,` is an adverbial, not the head of an apposition.
        let i = try found("In August, several environmental groups granted him an extension on a court order, saying his capital was short.")
        #expect(i.cue("saying").flatMap(i.sourceText) == "several environmental groups")
        // An apposition and an adverb between the clause's subject and its verb.
        let j = try found("Dean, a medical doctor, then appeared on MSNBC on Tuesday and began by saying he would never diagnose anyone.")
        #expect(j.cue("saying").flatMap(j.sourceText) == "Dean, a medical doctor")
        // A verb is no modifier of the name after it: the subject stays `Cruz`.
        let h = try found("Cruz exhorted Republicans to stay home and said he stood on principle.")
        #expect(h.cue("said").flatMap(h.sourceText) == "Cruz")
    }

    @Test func aVerbAfterToOrAModalIsNoSubject() throws {
        // `to keep details of`, `could leak details to`: `details` is a noun after a verb, and
        // the verb is no voice.
        #expect(try found("She detoured to keep details of her treatment under wraps.").sources.isEmpty)
        #expect(try found("Nurses who could leak details to reporters were kept away.").sources.isEmpty)
    }

    @Test func apposition() throws {
        let f = try found("Tom Harris, a senior adviser to the mayor, said the budget was balanced.")
        let cue = try #require(f.cue("said"))
        #expect(f.sourceText(of: cue) == "Tom Harris, a senior adviser to the mayor")
        #expect(f.source("Tom Harris, a senior adviser to the mayor")?.attributes["named"] == .bool(true))
    }

    @Test func parenthesesAndNamedAppositions() throws {
        let f = try found("Sen. Jane Roe (D-N.Y.) told the panel the bill would pass.")
        #expect(f.cue("told").flatMap(f.sourceText) == "Sen. Jane Roe (D-N.Y.)")
        let g = try found("In a statement, one of the club's lawyers, John Poe, said the vote was valid.")
        #expect(g.cue("said").flatMap(g.sourceText) == "one of the club's lawyers, John Poe")
    }

    @Test func accordingTo() throws {
        let f = try found("According to the Daily Ledger, the factory will close.")
        let cue = try #require(f.cue("According to"))
        #expect(f.sourceText(of: cue) == "the Daily Ledger")
        #expect(f.source("the Daily Ledger")?.attributes["type"] == .string("media"))
        #expect(f.source("the Daily Ledger")?.attributes["named"] == .bool(true))
    }

    @Test func citingAndQuoted() throws {
        let f = try found("The paper ran the story on Tuesday, citing unnamed officials. The agency quoted a diplomat as saying the embassy would reopen.")
        #expect(f.cue("citing").flatMap(f.sourceText) == "unnamed officials")
        #expect(f.source("unnamed officials")?.attributes["named"] == .bool(false))
        #expect(f.cue("quoted").flatMap(f.sourceText) == "a diplomat")
    }

    @Test func pronounAndPossessiveSubjects() throws {
        let f = try found("He said he would resign. The mayor's spokeswoman told reporters the road would reopen.")
        #expect(f.cue("said").flatMap(f.sourceText) == "He")
        #expect(f.source("He")?.attributes["named"] == .bool(false))
        #expect(f.source("He")?.attributes["type"] == .string("person"))
        #expect(f.cue("told reporters").flatMap(f.sourceText) == "The mayor's spokeswoman")
    }

    @Test func weakVerbsNeedAVoice() throws {
        #expect(try found("The company added 500 jobs.").cues.isEmpty)
        #expect(try found("Her plans were announced.").cues.isEmpty)
        let f = try found("The minister added that talks would resume. Smith called the deal a disgrace.")
        #expect(f.cue("added").flatMap(f.sourceText) == "The minister")
        #expect(f.cue("called").flatMap(f.sourceText) == "Smith")
    }

    @Test func beliefWithSubject() throws {
        let f = try found("Analysts believe the rate will rise.")
        #expect(f.cue("believe").flatMap(f.sourceText) == "Analysts")
        #expect(f.source("Analysts")?.attributes["type"] == .string("group"))
    }

    @Test func extraUnnamedWords() throws {
        let f = try found("Bloggers said the site was down.", options: ["words": ["bloggers"]])
        #expect(f.source("Bloggers")?.attributes["named"] == .bool(false))
    }

    // MARK: Arabic

    @Test func arabicVerbSubject() throws {
        let f = try found("قال الوزير إن المحادثات ستستأنف.")
        #expect(f.cue("قال").flatMap(f.sourceText) == "الوزير")
        #expect(f.source("الوزير")?.attributes["named"] == .bool(true))
        #expect(f.source("الوزير")?.attributes["type"] == .string("person"))
    }

    @Test func arabicSubjectEndsAtDate() throws {
        let f = try found("ذكرت صحيفة الأفق اليومية يوم الأحد أن المصنع سيغلق.")
        #expect(f.cue("ذكرت").flatMap(f.sourceText) == "صحيفة الأفق اليومية")
        #expect(f.source("صحيفة الأفق اليومية")?.attributes["type"] == .string("media"))
        #expect(f.source("صحيفة الأفق اليومية")?.attributes["named"] == .bool(true))
    }

    @Test func arabicDroppedSubject() throws {
        let f = try found("وأضاف أن الخطة جاهزة.")
        let cue = try #require(f.cue("أضاف"))
        #expect(cue.links.isEmpty)
        #expect(f.sources.isEmpty)
    }

    @Test func arabicAttributionPhraseAndRelative() throws {
        let f = try found("نقلاً عن مصادر أمنية لم تحدد هويتها، قالت الإذاعة إن الطريق مغلق.")
        #expect(f.cue("نقلاً عن").flatMap(f.sourceText) == "مصادر أمنية لم تحدد هويتها")
        let source = try #require(f.source("مصادر أمنية لم تحدد هويتها"))
        #expect(source.attributes["named"] == .bool(false))
        #expect(source.attributes["type"] == .string("government"))
        #expect(f.cue("قالت").flatMap(f.sourceText) == "الإذاعة")
    }

    @Test func arabicTwoVoices() throws {
        let f = try found("ونقلت الوكالة عن دبلوماسيين غربيين قولهم إن الاتفاق قريب.")
        #expect(f.cue("نقلت").flatMap(f.sourceText) == "الوكالة")
        #expect(f.cue("قولهم").flatMap(f.sourceText) == "دبلوماسيين غربيين")
        #expect(f.source("دبلوماسيين غربيين")?.attributes["named"] == .bool(false))
    }

    @Test func arabicAccordingToWithClitic() throws {
        let f = try found("ارتفعت الأسعار، وفقًا للخبراء.")
        #expect(f.cue("وفقًا").flatMap(f.sourceText) == "للخبراء")
        #expect(f.source("للخبراء")?.attributes["named"] == .bool(false))
        #expect(f.source("للخبراء")?.attributes["type"] == .string("group"))
    }

    @Test func arabicBeliefNeedsSubject() throws {
        let f = try found("ويعتقد بعض المراقبين أن الأزمة ستطول.")
        #expect(f.cue("يعتقد").flatMap(f.sourceText) == "بعض المراقبين")
        #expect(try found("يعتقد أنه غادر البلاد.").cues.isEmpty)
    }

    @Test func arabicNegatedVerbIsNotACue() throws {
        #expect(try found("ولم يؤكد المكتب الخبر.").cues.isEmpty)
    }

    @Test func arabicCueAfterContentAndObject() throws {
        let f = try found("الأسعار سترتفع. وقال هؤلاء الخبراء.")
        #expect(f.cue("قال").flatMap(f.sourceText) == "هؤلاء الخبراء")
        let g = try found("واتهمت الحكومة إيران بدعم المتمردين.")
        #expect(g.cue("اتهمت").flatMap(g.sourceText) == "الحكومة")
        #expect(g.source("الحكومة")?.attributes["type"] == .string("government"))
    }

    @Test func arabicPluralVerbAndAccusativeTakeNoSubject() throws {
        let f = try found("وأعلنوا الإضراب في المصانع.")
        #expect(f.cue("أعلنوا") != nil)
        #expect(f.sources.isEmpty)
        #expect(try found("يرى حلاً للأزمة.").cues.isEmpty)
    }

    @Test func arabicTypeDefaults() throws {
        let f = try found("قالت الهيئة إن الطريق مغلق. وقال باراك أوباما إن الاتفاق قريب.")
        #expect(f.source("الهيئة")?.attributes["type"] == .string("government"))
        #expect(f.source("باراك أوباما")?.attributes["type"] == .string("person"))
        #expect(f.source("باراك أوباما")?.attributes["named"] == .bool(true))
    }

    // MARK: With the quotations module

    @Test func quotationsLinkToTheSource() throws {
        let result = BuiltinModules.pipeline().run(text: "“We will win,” the coach said.", language: .english)
        let quote = try #require(result.annotations.first { $0.kind == .quote })
        let source = try #require(result.annotations.first { $0.kind == .source })
        #expect(source.text == "the coach")
        #expect(quote.link(AnnotationLink.speaker) == source.id)
    }

    @Test func layoutCuesNameTheSpeaker() throws {
        let headline = try found("Maria Lopez: Budget Talks Will Resume Next Week\n\nThe Latest: markets rose.")
        let colon = try #require(headline.cue(":"))
        #expect(headline.sourceText(of: colon) == "Maria Lopez")
        #expect(headline.cues.count == 1)
        let dash = try found("“We deserve better schools for our children.” ― Ana B. Ortiz\n“Next line.”")
        let cue = try #require(dash.cue("―"))
        #expect(dash.sourceText(of: cue) == "Ana B. Ortiz")
    }

    /// The colon is looked for before the line's opening words are read as a name: at one to four
    /// tokens after them (after an opening quotation mark), and not as the line's last token.
    @Test func layoutColonWindow() throws {
        let four = try found("Ana Maria Lopez Garcia: Budget Talks Resume\n\nNext line here.")
        #expect(four.cue(":").flatMap(four.sourceText) == "Ana Maria Lopez Garcia")
        let five = try found("Ana Maria Lopez Garcia Ruiz: Budget Talks Resume\n\nNext line here.")
        #expect(five.cue(":") == nil)
        let quoted = try found("“WALLACE: Good evening.\n\nNext line here.")
        #expect(quoted.cue(":").flatMap(quoted.sourceText) == "WALLACE")
        let last = try found("Budget talks resumed.\n\nMaria Lopez:")
        #expect(last.cue(":") == nil)
        let none = try found("Maria Lopez spoke at length.\n\nNext line here.")
        #expect(none.cues.isEmpty)
    }

    /// A speaker dash is looked for among a line's last tokens only: the name after it (seven
    /// tokens at most, then perhaps a full stop) must end the line; in the first, a middle and
    /// the last line, with and without the closing newline.
    @Test func speakerDashEndsTheLine() throws {
        let seven = try found("“We will rebuild.” ― Ana B. Ortiz De La Cruz\n\nNext line here.")
        #expect(seven.cue("―").flatMap(seven.sourceText) == "Ana B. Ortiz De La Cruz")
        let stop = try found("Opening line here.\n\n“We will rebuild.” — Ana Ortiz.\n\nNext line here.")
        #expect(stop.cue("—").flatMap(stop.sourceText) == "Ana Ortiz")
        let last = try found("Opening line here.\n\n“We will rebuild.” ― Ana Ortiz")
        #expect(last.cue("―").flatMap(last.sourceText) == "Ana Ortiz")
        let eight = try found("“We will rebuild.” ― Ana Maria Lopez Garcia Ruiz De La Cruz\n\nNext line here.")
        #expect(eight.cue("―") == nil)
        let inside = try found("“We will rebuild.” ― Ana Ortiz said the city would recover.\n\nNext line here.")
        #expect(inside.cue("―") == nil)
        let alone = try found("―")
        #expect(alone.cues.isEmpty)
    }

    @Test func stanceVerbsNeedANamingSubject() throws {
        let named = try found("The senator plans to introduce the bill in March.")
        #expect(named.sourceText(of: try #require(named.cue("plans"))) == "The senator")
        let unnamed = try found("The old bridge seems safe enough.")
        #expect(unnamed.cue("seems") == nil)
        let progressive = try found("Yesterday Governor Reed is promising lower fares.")
        #expect(progressive.sourceText(of: try #require(progressive.cue("is promising"))) == "Governor Reed")
    }

    @Test func aSentenceInitialNameWrittenAsANameElsewhere() throws {
        let text = try found("Supporters of Lopez cheered. Lopez called for new elections.")
        #expect(text.sourceText(of: try #require(text.cue("called for"))) == "Lopez")
        let common = try found("Prices called for caution. The prices rose.")
        #expect(common.cue("called for") == nil)
        // A capital at the sentence start the text never writes in lowercase is a name, even
        // when no other sentence writes it mid-sentence.
        let alone = try found("The panel debated gun control. Trump responded by citing Chicago.")
        #expect(alone.cue("responded").flatMap(alone.sourceText) == "Trump")
    }
}
