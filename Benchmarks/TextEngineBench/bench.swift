// Run through scripts/bench/textengine, which compiles it together with Sources/TextEngine.
// Throughput bench: AnalyzedText + LexiconMatcher over generated English and Arabic news-like text.
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double { var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 }

var rng = SystemRandomNumberGenerator()
struct LCG { var s: UInt64; mutating func next() -> UInt64 { s = s &* 6364136223846793005 &+ 1442695040888963407; return s >> 33 } }
var lcg = LCG(s: 42)

let englishSentences = [
    "The minister said on Tuesday that the government would probably raise taxes, according to officials familiar with the matter.",
    "Mr. Smith, a U.S. official, told reporters the deal may be signed by Jan. 5, though analysts believe it could be delayed.",
    "About 300 people were reportedly killed in the attack, the agency said, citing sources who were not named.",
    "“We will win,” the candidate said. It is said that the talks appear to have stalled.",
    "Prices rose 3.5% in May, and economists expect inflation to ease, Reuters reported.",
    "The company, Apple Inc., declined to comment; its shares fell about 2 percent.",
]
let arabicSentences = [
    "قال المتحدث باسم الوزارة إن الحكومة قد تعلن عن خطة جديدة، وفقًا لمصادر مطلعة.",
    "وبحسب وكالة الأنباء الفرنسية، فإن نحو ٣٠٠ شخص قُتلوا في الهجوم، ومن المرجح أن يرتفع العدد.",
    "وأضاف أن الوضع ربما يكون صعبًا، على ما يبدو، مشيرًا إلى أن المحللين يتوقعون تراجع الأسعار.",
    "وقد تمّ الاتفاق على وقف إطلاق النار، حسب ما أفادت به مصادر للمحللين والوزير.",
    "ويُعتقد أن الرئيس سيزور المنطقة في أيار المقبل، بينما نفى المسؤولون ذلك؛ فهل هذا صحيح؟",
]
let englishLetters = Array("abcdefghijklmnopqrstuvwxyz")
let arabicLetters = Array("ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآ")
let harakat: [Character] = ["\u{064E}", "\u{064F}", "\u{0650}", "\u{0651}", "\u{0652}"]

func randomWord(_ letters: [Character], diacritics: Bool) -> String {
    let n = 3 + Int(lcg.next() % 6)
    var s = ""
    for _ in 0..<n {
        s.append(letters[Int(lcg.next() % UInt64(letters.count))])
        if diacritics && lcg.next() % 5 == 0 { s.append(harakat[Int(lcg.next() % 5)]) }
    }
    return s
}

func makeText(bytes: Int, sentences: [String], letters: [Character], diacritics: Bool) -> String {
    var out = ""
    out.reserveCapacity(bytes + 1000)
    var sentenceCount = 0
    while out.utf8.count < bytes {
        // Half template sentences, half sentences with fresh words, so the vocabulary keeps growing.
        let base = sentences[Int(lcg.next() % UInt64(sentences.count))]
        if lcg.next() % 2 == 0 {
            out += base
        } else {
            var words = base.split(separator: " ").map(String.init)
            for k in words.indices where lcg.next() % 3 == 0 { words[k] = randomWord(letters, diacritics: diacritics) }
            out += words.joined(separator: " ")
        }
        sentenceCount += 1
        out += sentenceCount % 4 == 0 ? "\n\n" : " "
    }
    return out
}

// ~300 entries: the guide's cues and hedges, then filler phrases of the same shapes.
var entries: [LexiconEntry] = []
for w in ["probably", "likely", "possibly", "perhaps", "reportedly", "allegedly", "seems", "suggests", "unconfirmed", "might"] {
    entries.append(LexiconEntry(phrase: w, category: "hedge"))
}
entries.append(LexiconEntry(phrase: "may", category: "hedge", conditions: [.notSurface(["May"])]))
entries.append(LexiconEntry(phrase: "could", category: "hedge", conditions: [.nextNotIn(.words(["not"]))]))
for w in ["about", "around", "roughly", "nearly"] { entries.append(LexiconEntry(phrase: w, category: "approximator", conditions: [.nextIsNumber])) }
for p in ["is believed", "appears to", "expected to", "it is said", "according to", "told reporters", "quoted {0,4} as saying", "people familiar with the matter"] {
    entries.append(LexiconEntry(phrase: p, category: "cue"))
}
for w in ["said", "says", "told", "citing", "denied", "accused", "reported", "added", "noted", "stated", "believe", "believes"] {
    entries.append(LexiconEntry(phrase: w, category: "cue"))
}
for w in ["officials", "sources", "analysts", "experts", "reuters", "the white house", "the agency", "economists"] {
    entries.append(LexiconEntry(phrase: w, category: "source"))
}
for w in ["ربما", "لعل", "على الأرجح", "من المرجح", "يرجح", "محتمل", "المحتملة", "من المحتمل", "من الممكن", "يبدو", "على ما يبدو", "من المتوقع", "يعتقد", "يقال"] {
    entries.append(LexiconEntry(phrase: w, category: "hedge"))
}
entries.append(LexiconEntry(phrase: "قد", category: "hedge", conditions: [.nextIsImperfectVerb]))
entries.append(LexiconEntry(phrase: "نحو", category: "approximator", conditions: [.nextIsNumber]))
for w in ["قال", "قالت", "يقول", "ذكرت", "أضاف", "أكد", "نفى", "أفادت", "نقلا {0,3} عن", "وفقا ل", "بحسب", "حسب", "أعلن", "صرح", "أشار"] {
    entries.append(LexiconEntry(phrase: w, category: "cue"))
}
for w in ["مصادر مطلعة", "وكالة الأنباء الفرنسية", "المتحدث باسم الوزارة", "مسؤولون", "مصادر", "محللون", "البعض", "المحللين", "وزارة الخارجية"] {
    entries.append(LexiconEntry(phrase: w, category: "source", proclitics: .all))
}
while entries.count < 300 {
    let arabic = entries.count % 2 == 0
    let letters = arabic ? arabicLetters : englishLetters
    let n = 1 + Int(lcg.next() % 3)
    let phrase = (0..<n).map { _ in randomWord(letters, diacritics: false) }.joined(separator: " ")
    entries.append(LexiconEntry(phrase: phrase, category: "filler", proclitics: arabic ? .all : .conjunctions))
}

let lexicon = try! Lexicon(entries: entries)
let matcher = LexiconMatcher(lexicon)

func bench(_ name: String, _ text: String) {
    let bytes = Array(text.utf8)
    let mb = Double(bytes.count) / 1_000_000
    var best = (analyze: 1e9, match: 1e9)
    var matchCount = 0, tokenCount = 0, formCount = 0
    for _ in 0..<5 {
        let t0 = now()
        let analyzed = AnalyzedText(utf8: bytes)
        let t1 = now()
        let matches = matcher.matches(in: analyzed)
        let t2 = now()
        best.analyze = min(best.analyze, t1 - t0)
        best.match = min(best.match, t2 - t1)
        matchCount = matches.count; tokenCount = analyzed.tokens.count; formCount = analyzed.forms.count
    }
    let total = best.analyze + best.match
    print("\(name): \("\(Double(Int(mb * 10)) / 10)") MB, \(tokenCount) tokens, \(formCount) forms, \(matchCount) matches")
    print("  analyze \(Int(best.analyze * 1000)) ms (\(Int(mb / best.analyze)) MB/s), match \(Int(best.match * 1000)) ms (\(Int(mb / best.match)) MB/s), total \(Int(mb / total)) MB/s")
}

let english = makeText(bytes: 4_000_000, sentences: englishSentences, letters: englishLetters, diacritics: false)
let arabic = makeText(bytes: 4_000_000, sentences: arabicSentences, letters: arabicLetters, diacritics: true)
bench("English", english)
bench("Arabic", arabic)
