import RulePacks
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
}
