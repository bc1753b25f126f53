import AnnotationModel
import BuiltinModules
import HedgingModule
import RulePacks
import ScholiaTestSupport
import Testing

/// Fixtures are written for these tests (never corpus text). `⟦…⟧` marks the expected hedge spans
/// (UTF-8 offsets), so every test also checks offsets exactly.
private func hedges(_ marked: MarkedText, options: [String: [String]] = [:]) throws -> [Annotation] {
    let language: Language = marked.text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } ? .arabic : .english
    return try HedgingAnnotator().annotate(AnnotationRequest(text: marked.text, language: language, options: options))
}

/// The spans found must be exactly the marked ones.
private func check(_ fixture: String, _ categories: [String]? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let marked = MarkedText(fixture)
    let found = try hedges(marked)
    #expect(found.map(\.range) == marked.spans, "\(found.map(\.text))", sourceLocation: sourceLocation)
    #expect(found.map(\.text) == marked.spans.map(marked.slice), sourceLocation: sourceLocation)
    #expect(found.allSatisfy { $0.kind == .hedge && $0.module == "hedging" }, sourceLocation: sourceLocation)
    if let categories {
        #expect(found.map { $0.attributes["category"]?.stringValue ?? "" } == categories, sourceLocation: sourceLocation)
    }
}

@Suite struct HedgingAnnotatorTests {
    @Test func descriptor() {
        let descriptor = HedgingAnnotator().descriptor
        #expect(descriptor.name == "hedging")
        #expect(descriptor.kinds.map(\.kind) == [.hedge])
        #expect(descriptor.languages == [.english, .arabic])
        #expect(descriptor.scope == .paragraph)
    }

    @Test func registeredBeforeQuotations() {
        let names = BuiltinModules.annotators().map(\.descriptor.name)
        #expect(names.contains("hedging"))
        #expect(names.last == "quotations")
    }

    @Test func packsLoadAndAreLargeEnough() {
        let packs = HedgingAnnotator.packs
        #expect(packs.map(\.language) == [.english, .arabic])
        #expect(packs[0].entries.count >= 150)
        #expect(packs[1].entries.count >= 80)
    }

    /// The tests written inside the packs, through the real pipeline.
    @Test func packTests() {
        let (failures, count) = RulePackTests.run(HedgingAnnotator.packs, pipeline: BuiltinModules.pipeline())
        #expect(count >= 30)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    // MARK: English

    @Test func mayModalAndMayTheMonth() throws {
        try check("Talks ⟦may⟧ resume in May, and the deal ⟦might⟧ be signed on May 12.", ["modal", "modal"])
        try check("May 2020 was dry.")
        try check("The vote, held in May 2021, ⟦may⟧ be repeated.")
    }

    @Test func couldOfPossibilityNotInability() throws {
        try check("The dam ⟦could⟧ fail.", ["modal"])
        try check("Rescuers could not reach the village.")
    }

    @Test func canIsLeftOut() throws {
        try check("Penguins can swim fast.")
    }

    @Test func approximatorsOnlyBeforeNumbers() throws {
        try check("⟦About⟧ 200 people marched for ⟦roughly⟧ $3 million in damages, ⟦nearly⟧ 90 percent of it.",
                  ["approximator", "approximator", "approximator"])
        try check("They spoke about the election around noon.")
        try check("⟦An estimated⟧ 40,000 fled; ⟦up to⟧ 12 towns emptied.", ["approximator", "approximator"])
    }

    @Test func passiveBeliefIsAHedgeActiveIsAttribution() throws {
        try check("The ship ⟦is believed⟧ to have sunk.", ["verb"])
        try check("Analysts believe the ship sank.")
        try check("The painting ⟦is thought⟧ to be a copy.")
        try check("Prices are ⟦expected to⟧ fall.")
    }

    @Test func appearOnlyWithTo() throws {
        try check("The leak ⟦appears to⟧ be small.", ["verb"])
        try check("She appeared on television.")
    }

    @Test func shieldsAndAdverbs() throws {
        try check("The general ⟦reportedly⟧ fled and ⟦probably⟧ crossed the border.", ["shield", "adverb"])
        try check("⟦It is said⟧ that the well never dries.", ["shield"])
        try check("The ⟦alleged⟧ plot ⟦seems⟧ ⟦unlikely⟧.", ["adjective", "verb", "adjective"])
    }

    @Test func configuredWords() throws {
        let marked = MarkedText("The figure is ⟦ballpark⟧ and ⟦probably⟧ low.")
        let found = try hedges(marked, options: ["words": ["ballpark", "probably"]])
        #expect(found.map(\.range).sorted { $0.lowerBound < $1.lowerBound } == marked.spans)
        #expect(found.first { $0.text == "ballpark" }?.attributes["category"] == "custom")
        #expect(found.first { $0.text == "probably" }?.attributes["category"] == "adverb")
    }

    // MARK: Arabic

    @Test func qadWithImperfectIsAHedgeWithPerfectIsNot() throws {
        try check("قال إن الوفد ⟦قد⟧ يصل غدا.", ["modal"])
        try check("إن الحكومة ⟦قد⟧ لا تكون مستعدة.", ["modal"])
        try check("وقد تمّ توقيع الاتفاق.")
        try check("وكان الوزير قد أعلن النتائج.")
        try check("و⟦قد⟧ يكون السبب عطلا فنيا.", ["modal"])
    }

    @Test func passiveBeliefVersusBeliefWithASubject() throws {
        try check("قطار ⟦يعتقد⟧ أنه يقل الرئيس.", ["verb"])
        try check("و⟦يُعتقد⟧ أن السفينة غرقت.", ["verb"])
        try check("ويعتقد بعض المراقبين أن السفينة غرقت.")
        try check("و⟦يقال⟧ إن السفينة غرقت.", ["shield"])
        try check("ويقال له إنه تأخر.")
    }

    @Test func yumkinOfPossibilityVersusAbility() throws {
        try check("و⟦يمكن⟧ للوزير عمر أن يؤجل زيارته.", ["modal"])
        try check("⟦يمكن⟧ أن تتأخر الرحلة.", ["modal"])
        try check("وهي سلع يمكن تصديرها.")
        try check("لا يمكن أن نقبل ذلك.")
    }

    @Test func procliticsStayOutsideTheSpan() throws {
        try check("و⟦ربما⟧ تأخر القطار.", ["adverb"])
        try check("ف⟦ربما⟧ تأخر القطار.", ["adverb"])
        try check("و⟦من المتوقع⟧ أن تنتهي الأعمال.", ["adjective"])
    }

    @Test func offsetsWithDiacriticsAndTatweel() throws {
        try check("و⟦ربّما⟧ تأخر القطار.", ["adverb"])
        try check("⟦ربـــما⟧ تأخر القطار.", ["adverb"])
        try check("و⟦يُقال⟧ إن السفينة غرقت.", ["shield"])
        try check("وغادر ⟦على الأرجح⟧ مساءً.", ["adverb"])
        try check("و⟦يُرجّح⟧ أن يتأخر.", ["verb"])
    }

    @Test func adjectivesAndApproximators() throws {
        try check("لعقد اجتماع ⟦محتمل⟧ مع الرئيس وبحث النتائج ⟦المحتملة⟧.", ["adjective", "adjective"])
        try check("قتل ⟦نحو⟧ 40 شخصا و⟦حوالي⟧ ثلاثة آلاف جريح.", ["approximator", "approximator"])
        try check("توجه الموكب نحو العاصمة.")
        try check("يبلغ عددهم ⟦ما يقارب⟧ 500.", ["approximator"])
    }
}
