import AnnotationModel
import TextEngine

/// Who said a quotation, and which cue says so, read from the `cue` and `source` annotations of
/// the module that ran before (`AnnotationRequest.prior`).
///
/// What it expects of that module: `cue` annotations on the reporting words (`said`, `قال`), each
/// with a link `source` → the `source` annotation of who speaks (absent when Arabic drops the
/// subject), and optionally `content` → what the cue introduces (a provisional quote id such as
/// `quote:120-186`, or an annotation whose span covers the quotation). Cues and sources inside a
/// quotation are words of the quoted speaker, not of the article, and are not used.
///
/// The patterns, tried in this order for each quotation that is not nested in another:
/// 1. a cue whose `content` link names the quotation;
/// 2. a cue in the same sentence, right after (`“...,” the minister said`) or right before
///    (`X said: “...”`, `قال X: «...»`) it, with at most `maxGapWords` words between; a colon
///    before the quotation favours the cue before it, otherwise the closer cue wins, the one after
///    on a tie; a verb cue without a source that opens its sentence (`وأضاف: «...»`, the subject
///    dropped) speaks in the voice the previous sentence names (as in 3); when the nearer cue names
///    nobody and the other does, the other wins; a quoted title of three words or fewer before the
///    quotation does not hide the cue before it; a quotation ending with its own `.`/`?` is closed
///    by a cue up to `maxClosingGapWords` words after it on the same line (`“...?” Clinton said.`);
/// 3. a quotation that is a sentence of its own takes the speaker named in the previous sentence
///    (its cue's source, else its last source, else the speaker of a quotation ending it).
/// Where none applies there is no link: the text does not say who spoke.
struct SpeakerLinker {
    struct Attribution: Equatable {
        var speaker: String?
        var cue: String?
        /// Introduced as speech (a cue after it, a colon before it) or a sentence of its own: then
        /// even a one-word quotation is someone's words, not a scare quote.
        var standsAsUtterance = false
    }

    static let maxGapWords = 12
    /// Words between a quotation that ends its sentence and the cue that closes it (`Clinton said`,
    /// `said Robert McAtee, one of ...`: the cue comes first or after a short name).
    static let maxClosingGapWords = 4

    let utf8: [UInt8]
    let quotations: [Quotation]
    /// Indices of the quotations not nested in another, in text order; their ranges do not overlap.
    let topLevel: [Int]
    /// The module's annotations, which `cues`, `sources` and `contents` index (held by index: an
    /// array of copies retained and released each annotation's strings, attributes and links).
    let prior: [Annotation]
    /// Indices in `prior` of the cues and sources outside quotations, sorted by start, and their
    /// spans in the same order (what the binary searches read).
    let cues: [Int]
    let cueRanges: [Range<Int>]
    let sources: [Int]
    let sourceRanges: [Range<Int>]
    /// The first prior annotation of each id (only whether an id exists, and where, is asked).
    let priorByID: FirstIndexByID
    let sentenceEnds: [Int]
    /// What each cue's `content` link covers, sorted by start, with the cue's index in `prior`.
    let contents: [(range: Range<Int>, cue: Int)]

    init(utf8: [UInt8], quotations: [Quotation], prior: [Annotation]) {
        self.utf8 = utf8
        self.quotations = quotations
        let topLevel = quotations.indices.filter { quotations[$0].parent == nil }
        self.topLevel = topLevel
        let topRanges = topLevel.map { quotations[$0].range }
        self.prior = prior
        // Sized for every annotation: grown from empty, each was copied several times a text.
        var cues: [Int] = []
        var sources: [Int] = []
        cues.reserveCapacity(prior.count)
        sources.reserveCapacity(prior.count)
        // Kinds told apart by their names' lengths first (`cue` 3, `source` 6): two different
        // strings of the same length compare byte by byte in a call into the standard library,
        // which each `hedge` paid twice.
        let cueKind = AnnotationKind.cue
        let sourceKind = AnnotationKind.source
        let cueLength = cueKind.rawValue.utf8.count
        let sourceLength = sourceKind.rawValue.utf8.count
        for index in prior.indices {
            let length = prior[index].kind.rawValue.utf8.count
            let isCue = length == cueLength && prior[index].kind == cueKind
            guard isCue || (length == sourceLength && prior[index].kind == sourceKind),
                !Self.overlapsAny(prior[index].range, sortedRanges: topRanges)
            else { continue }
            if isCue { cues.append(index) } else { sources.append(index) }
        }
        Self.sortByStart(&cues, of: prior)
        Self.sortByStart(&sources, of: prior)
        self.cues = cues
        self.sources = sources
        cueRanges = cues.map { prior[$0].range }
        sourceRanges = sources.map { prior[$0].range }
        // The first annotation of an id wins.
        let byID = FirstIndexByID(prior)
        priorByID = byID
        sentenceEnds = SentenceEnds.find(in: utf8, excluding: topRanges)
        var contents: [(range: Range<Int>, cue: Int)] = []
        let contentLength = AnnotationLink.content.utf8.count
        for cue in cues {
            // Relations told apart by their lengths first, as the kinds above.
            for link in prior[cue].links where link.rel.utf8.count == contentLength && link.rel == AnnotationLink.content {
                if let target = byID.find(link.target, in: prior) {
                    contents.append((prior[target].range, cue))
                } else if let range = Self.quoteRange(provisionalID: link.target) {
                    // Our own quote, named by the id it will have (`quote:120+66`).
                    contents.append((range, cue))
                }
            }
        }
        self.contents = contents.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Indices of `prior` sorted by their annotations' starts, in place and only when not in order
    /// already (the same comparisons as sorting the annotations themselves, so the same order).
    private static func sortByStart(_ indices: inout [Int], of prior: [Annotation]) {
        var ordered = true
        var index = 1
        while ordered && index < indices.count {
            if prior[indices[index]].range.lowerBound < prior[indices[index - 1]].range.lowerBound { ordered = false }
            index += 1
        }
        if !ordered { indices.sort { prior[$0].range.lowerBound < prior[$1].range.lowerBound } }
    }

    func attributions() -> [Attribution] {
        // Appended in text order: a nested quotation has none of its own, and a top-level one reads
        // only the attributions of quotations before it (`earlier`). (An array made whole first,
        // then written by index, copied the empty attribution into each slot.)
        var result: [Attribution] = []
        result.reserveCapacity(quotations.count)
        // Contents that may still cover a quotation: top-level quotations come in order and do not
        // overlap, so one that ends before this quotation's words cannot cover a later one.
        var openContents: [(range: Range<Int>, cue: Int)] = []
        var nextContent = 0
        // Whether each top-level quotation is a short term, found once: each quotation looks back
        // at up to three before it.
        var shortTerms = [UInt8](repeating: Self.unknown, count: topLevel.count)
        for (position, index) in topLevel.enumerated() {
            while result.count < index { result.append(Attribution()) }
            let words = quotations[index].contentRange
            while nextContent < contents.count && contents[nextContent].range.lowerBound <= words.lowerBound {
                openContents.append(contents[nextContent])
                nextContent += 1
            }
            if !openContents.isEmpty { openContents.removeAll { $0.range.upperBound < words.upperBound } }
            let introducer = openContents.min { $0.range.count < $1.range.count }?.cue
            // A cue before is not looked for past another quotation, unless that one is a short
            // title or term (`Johnson tells MSNBC’s “Morning Joe” that “exactly who did it” ...`).
            // (A few at most: a run of quoted terms is a list, and each quotation looks back once.)
            var previous = position - 1
            while previous >= 0 && position - previous <= 3 {
                if shortTerms[previous] == Self.unknown {
                    shortTerms[previous] = isShortTerm(quotations[topLevel[previous]].contentRange) ? 1 : 0
                }
                if shortTerms[previous] == 0 { break }
                previous -= 1
            }
            let previousEnd = previous >= 0 ? quotations[topLevel[previous]].range.upperBound : 0
            let nextStart = position + 1 < topLevel.count ? quotations[topLevel[position + 1]].range.lowerBound : utf8.count
            result.append(attribution(
                of: index, introducedBy: introducer, after: previousEnd, before: nextStart, earlier: result))
        }
        while result.count < quotations.count { result.append(Attribution()) }
        return result
    }

    /// Not yet known, in `attributions`' short-term flags.
    private static let unknown: UInt8 = 2

    /// (`quotation` indexes `quotations`: a copy of the quotation retained and released its marks.)
    private func attribution(of quotation: Int, introducedBy introducer: Int?, after previousEnd: Int,
                             before nextStart: Int, earlier: [Attribution]) -> Attribution {
        let range = quotations[quotation].range
        let sentenceStart = lastSentenceEnd(atOrBefore: range.lowerBound) ?? 0
        let sentenceEnd = firstSentenceEnd(atOrAfter: range.upperBound) ?? utf8.count
        let ownSentence = !containsWord(sentenceStart..<range.lowerBound) && !containsWord(range.upperBound..<sentenceEnd)

        // 1. The sources module said outright what this cue introduces.
        if let cue = introducer {
            return Attribution(speaker: speaker(of: cue, within: sentenceStart..<sentenceEnd, excluding: range),
                               cue: prior[cue].id, standsAsUtterance: true)
        }

        // 2. A cue next to it in its sentence, with no other quotation in between.
        // A quotation that ends with its own full stop or question mark ends a sentence in the
        // splitter's eyes, yet `“How many times ...?” Clinton said.` and `“...” ― Jorge Falcon`
        // close it: a cue a few words on, before the line ends, still counts.
        let closesItsSentence = sentenceEnd <= range.upperBound + 4 && endsWithTerminator(quotations[quotation].contentRange)
        let closingLimit = closesItsSentence ? (firstSentenceEnd(atOrAfter: sentenceEnd + 1) ?? utf8.count) : sentenceEnd
        // Cues by their position in `cues`; `prior[cues[k]]` is the annotation.
        let following = Self.startingIn(range.upperBound..<Int.max, cueRanges)
        let after = (following.isEmpty ? nil : following.lowerBound)
            .flatMap { k -> (Int, Int)? in
                let cueRange = cueRanges[k]
                guard cueRange.upperBound <= nextStart, cueRange.upperBound <= max(sentenceEnd, closingLimit) else { return nil }
                if cueRange.upperBound <= sentenceEnd {
                    let gap = wordCount(range.upperBound..<cueRange.lowerBound, stoppingAfter: Self.maxGapWords)
                    return gap <= Self.maxGapWords ? (cues[k], gap) : nil
                }
                let gap = wordCount(range.upperBound..<cueRange.lowerBound, stoppingAfter: Self.maxClosingGapWords)
                guard gap <= Self.maxClosingGapWords, !containsLineBreak(range.upperBound..<cueRange.lowerBound) else { return nil }
                return (cues[k], gap)
            }
        let preceding = Self.startingIn(sentenceStart..<range.lowerBound, cueRanges)
        let before = preceding.last { cueRanges[$0].upperBound <= range.lowerBound }
            .flatMap { k -> (Int, Int)? in
                let cueRange = cueRanges[k]
                guard cueRange.lowerBound >= previousEnd else { return nil }
                let gap = wordCount(cueRange.upperBound..<range.lowerBound, stoppingAfter: Self.maxGapWords)
                return gap <= Self.maxGapWords ? (cues[k], gap) : nil
            }
        let colonBefore = lastNonSpaceScalar(before: range.lowerBound) == ":"
        let sentence = sentenceStart..<sentenceEnd
        var chosen: (cue: Int, isAfter: Bool, gap: Int)?
        var chosenSpeaker: String? = nil
        switch (before, after) {
        case let (before?, after?):
            chosen = colonBefore || before.1 < after.1 ? (before.0, false, before.1) : (after.0, true, after.1)
            chosenSpeaker = speaker(of: chosen!.cue, within: sentence, excluding: range)
            // The nearer cue names nobody (`the advertisement “...” suggests`) and the other does
            // (`Holm said in the letter that ...`): the voice is the other one's.
            if chosenSpeaker == nil {
                let other = chosen!.isAfter ? (before.0, false, before.1) : (after.0, true, after.1)
                if let otherSpeaker = speaker(of: other.0, within: sentence, excluding: range) {
                    chosen = other
                    chosenSpeaker = otherSpeaker
                }
            }
        case let (before?, nil):
            chosen = (before.0, false, before.1)
            chosenSpeaker = speaker(of: before.0, within: sentence, excluding: range)
        case let (nil, after?):
            chosen = (after.0, true, after.1)
            chosenSpeaker = speaker(of: after.0, within: sentence, excluding: range)
        case (nil, nil): chosen = nil
        }
        if let chosen {
            // `he said, “win this.”` is speech; `the minister called it a “merit system”` is a
            // term the writer holds at a distance.
            let introducedAsSpeech = chosen.isAfter || colonBefore || ownSentence || chosen.gap == 0
            var speaker = chosenSpeaker
            // `وأضاف: «...»`: a cue that opens its sentence without a subject goes on in the voice
            // the previous sentence names; a plural verb (`قالوا`) is its own voice.
            if speaker == nil && !chosen.isAfter && sourceLink(of: chosen.cue) == nil
                && prior[chosen.cue].attributes["category"] == .string("verb")
                && opensSentence(prior[chosen.cue].range.lowerBound, sentenceStart: sentenceStart)
                && !ArabicMorphology.endsInPluralSubject(normalized: TextNormalizer.normalize(prior[chosen.cue].text).utf8),
                let previous = previousSentence(before: sentenceStart)
            {
                speaker = speakerNamed(in: previous, earlier: earlier)
            }
            return Attribution(speaker: speaker, cue: prior[chosen.cue].id, standsAsUtterance: introducedAsSpeech)
        }

        // 3. A sentence of its own, spoken by whoever the previous sentence names.
        guard ownSentence else { return Attribution() }
        var attribution = Attribution(standsAsUtterance: true)
        if let previous = previousSentence(before: sentenceStart) {
            attribution.speaker = speakerNamed(in: previous, earlier: earlier)
        }
        return attribution
    }

    /// A title or a term in quotation marks (three words at most): no barrier between a quotation
    /// and its cue.
    private func isShortTerm(_ contentRange: Range<Int>) -> Bool {
        wordCount(contentRange, stoppingAfter: 3) <= 3
    }

    /// The range a provisional quote id (`quote:120+66`: start and length) names.
    static func quoteRange(provisionalID id: String) -> Range<Int>? {
        guard id.hasPrefix("quote:") else { return nil }
        let parts = id.dropFirst("quote:".count).split(separator: "+", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), let length = Int(parts[1]), start >= 0, length >= 0,
            start <= Int.max - length
        else { return nil }
        return start..<(start + length)
    }

    /// The cue's own `source` link, else the source nearest the cue in its sentence (outside the
    /// quotation), within `maxGapWords` of it.
    /// (`cue` indexes `prior`.)
    private func speaker(of cue: Int, within sentence: Range<Int>, excluding quotation: Range<Int>) -> String? {
        if let target = sourceLink(of: cue), priorByID.find(target, in: prior) != nil { return target }
        let cueRange = prior[cue].range
        var best: (source: Int, distance: Int)?
        for k in Self.startingIn(sentence, sourceRanges) {
            let sourceRange = sourceRanges[k]
            guard !sourceRange.overlaps(quotation) else { continue }
            // The quotation must not stand between the source and its cue.
            let between = sourceRange.upperBound <= cueRange.lowerBound
                ? sourceRange.upperBound..<cueRange.lowerBound
                : cueRange.upperBound..<max(cueRange.upperBound, sourceRange.lowerBound)
            if between.overlaps(quotation) { continue }
            let distance = wordCount(between, stoppingAfter: Self.maxGapWords)
            guard distance <= Self.maxGapWords else { continue }
            if best == nil || distance < best!.distance { best = (sources[k], distance) }
        }
        return best.map { prior[$0.source].id }
    }

    /// The speaker the sentence names: the source of its last cue, else its last source, else the
    /// speaker of a quotation that ends it.
    private func speakerNamed(in sentence: Range<Int>, earlier: [Attribution]) -> String? {
        for k in Self.startingIn(sentence, cueRanges).reversed() {
            if let target = sourceLink(of: cues[k]), priorByID.find(target, in: prior) != nil { return target }
        }
        if let k = Self.startingIn(sentence, sourceRanges).last { return prior[sources[k]].id }
        if let quoted = topLevel.last(where: { sentence.contains(quotations[$0].range.lowerBound) }),
            !containsWord(quotations[quoted].range.upperBound..<sentence.upperBound)
        {
            return earlier[quoted].speaker
        }
        return nil
    }

    /// The nearest sentence before `start` that has words in it (blank lines make empty ones).
    private func previousSentence(before start: Int) -> Range<Int>? {
        var end = start
        while end > 0 {
            let begin = lastSentenceEnd(atOrBefore: end - 1) ?? 0
            if containsWord(begin..<end) { return begin..<end }
            end = begin
        }
        return nil
    }

    // MARK: Text helpers

    private func lastSentenceEnd(atOrBefore offset: Int) -> Int? {
        let low = Self.firstIndex(in: sentenceEnds) { $0 > offset }
        return low > 0 ? sentenceEnds[low - 1] : nil
    }

    private func firstSentenceEnd(atOrAfter offset: Int) -> Int? {
        let low = Self.firstIndex(in: sentenceEnds) { $0 >= offset }
        return low < sentenceEnds.count ? sentenceEnds[low] : nil
    }

    /// The first index from `start` of the sorted `values` whose value `isPast` (a predicate false
    /// then true along them), else the count: a binary search over the values' buffer (through the
    /// array, each step paid a bounds check and a signed halving).
    @inline(__always)
    private static func firstIndex<Value>(in values: [Value], from start: Int = 0, where isPast: (Value) -> Bool) -> Int {
        values.withUnsafeBufferPointer { buffer in
            var low = start
            var high = buffer.count
            while low < high {
                let mid = Int(bitPattern: UInt(bitPattern: low &+ high) >> 1)
                if isPast(buffer[mid]) { high = mid } else { low = mid + 1 }
            }
            return low
        }
    }

    /// Words in `range`; past `limit` words the count stops (at `limit + 1`). ASCII bytes are
    /// tested as they are, only other scalars decoded.
    func wordCount(_ range: Range<Int>, stoppingAfter limit: Int = .max) -> Int {
        var count = 0
        var inWord = false
        // The table read through a pointer fetched once: as a static array, each letter paid its
        // lazy-initialisation check and a bounds check.
        return utf8.withUnsafeBufferPointer { bytes in SentenceEnds.isArabicBlockWord.withUnsafeBufferPointer { arabicBlock in
            @inline(__always) func isASCIIWord(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 }
            /// Whether the bytes at `i` are a two-byte scalar of the Arabic block (U+0600–U+06FF)
            /// that is a word scalar, decoded in place.
            @inline(__always) func isArabicBlockWord(at i: Int) -> Bool {
                let b = bytes[i]
                return b &- 0xD8 < 4 && i + 1 < bytes.count && bytes[i + 1] & 0xC0 == 0x80
                    && arabicBlock[Int(b & 0x07) << 6 | Int(bytes[i + 1] & 0x3F)]
            }
            let end = range.upperBound
            var i = range.lowerBound
            while i < end {
                let b = bytes[i]
                let isWord: Bool
                if b < 0x80 {
                    isWord = isASCIIWord(b)
                    i += 1
                } else if b &- 0xD8 < 4 && i + 1 < bytes.count && bytes[i + 1] & 0xC0 == 0x80 {
                    isWord = arabicBlock[Int(b & 0x07) << 6 | Int(bytes[i + 1] & 0x3F)]
                    i += 2
                } else {
                    isWord = Self.isWordScalar(in: utf8, at: &i)
                }
                if isWord {
                    if !inWord {
                        count += 1
                        if count > limit { return count }
                    }
                    // The rest of the word's ASCII letters and digits and Arabic letters change
                    // nothing: crossed in one loop (a scalar at a time, they cost half the count).
                    while i < end {
                        if bytes[i] < 0x80 {
                            guard isASCIIWord(bytes[i]) else { break }
                            i += 1
                        } else {
                            guard isArabicBlockWord(at: i) else { break }
                            i += 2
                        }
                    }
                }
                inWord = isWord
            }
            return count
        } }
    }

    /// Whether the scalar at `offset` is a word scalar, and past it: the general way, out of line
    /// (inlined, the Unicode property types it names made every count look up their metadata).
    @inline(never)
    private static func isWordScalar(in utf8: [UInt8], at offset: inout Int) -> Bool {
        let (scalar, length) = UTF8ScalarCursor.decode(utf8, at: offset)
        offset += max(1, length)
        return SentenceEnds.isWordScalar(scalar)
    }

    /// Nothing but punctuation, or a conjunction glued to it (`وأضاف`، `فقال`), comes before `offset`
    /// in its sentence.
    private func opensSentence(_ offset: Int, sentenceStart: Int) -> Bool {
        var letters = 0
        var cursor = UTF8ScalarCursor(utf8, from: sentenceStart, limit: offset)
        var lastWasWord = false
        var words = 0
        while let (scalar, _) = cursor.next() {
            let isWord = SentenceEnds.isWordScalar(scalar)
            if isWord { letters += 1; if !lastWasWord { words += 1 } }
            lastWasWord = isWord
        }
        return letters == 0 || (words == 1 && letters <= 2 && lastWasWord)
    }

    /// The quoted words end with their own `.`, `?`, `!` or `…` (white space aside).
    private func endsWithTerminator(_ range: Range<Int>) -> Bool {
        guard let last = lastNonSpaceScalar(before: range.upperBound), range.upperBound > range.lowerBound else { return false }
        return last == "." || last == "?" || last == "!" || last == "…" || last == "؟"
    }

    private func containsLineBreak(_ range: Range<Int>) -> Bool {
        utf8[range].contains(0x0A) || utf8[range].contains(0x0D)
    }

    /// Some word scalar in `range`: the word count's loop, stopped at the first word (it decodes
    /// only what is not ASCII or Arabic).
    private func containsWord(_ range: Range<Int>) -> Bool {
        wordCount(range, stoppingAfter: 0) > 0
    }

    /// The indices of the spans (sorted by start) that start inside `range`.
    private static func startingIn(_ range: Range<Int>, _ sorted: [Range<Int>]) -> Range<Int> {
        let first = firstIndex(in: sorted) { $0.lowerBound >= range.lowerBound }
        // Those starting at or after the range's end come at or after the first starting in it.
        return first..<max(first, firstIndex(in: sorted, from: first) { $0.lowerBound >= range.upperBound })
    }

    /// `prior[annotation].link(AnnotationLink.source)`, reading only the links: the method, in
    /// another module, was called on a copy of the whole annotation (every field retained, then
    /// released).
    private func sourceLink(of annotation: Int) -> String? {
        let links = prior[annotation].links
        // Told apart by length first: two different relations of one length compare in a call.
        let source = AnnotationLink.source
        let sourceLength = source.utf8.count
        for index in links.indices where links[index].rel.utf8.count == sourceLength && links[index].rel == source {
            return links[index].target
        }
        return nil
    }

    private func lastNonSpaceScalar(before offset: Int) -> Unicode.Scalar? {
        var end = offset
        while end > 0 {
            // An ASCII byte is its own scalar (the one the general way below decodes).
            let last = utf8[end - 1]
            if last < 0x80 {
                let scalar = Unicode.Scalar(last)
                if !SentenceEnds.isWhitespace(scalar) { return scalar }
                end -= 1
                continue
            }
            let start = UTF8ScalarCursor.previousBoundary(utf8, before: end)
            let scalar = UTF8ScalarCursor.decode(utf8, at: start).0
            if !SentenceEnds.isWhitespace(scalar) { return scalar }
            end = start
        }
        return nil
    }

    private static func overlapsAny(_ range: Range<Int>, sortedRanges: [Range<Int>]) -> Bool {
        // The last range starting before `range` ends is the only one that can overlap it.
        let low = firstIndex(in: sortedRanges) { $0.lowerBound >= range.upperBound }
        return low > 0 && sortedRanges[low - 1].overlaps(range)
    }
}

/// Where sentences end, well enough to tell whether a cue and a quotation share a sentence:
/// after `.` `!` `?` `؟` `…` `。` (and any closing marks after them) before white space, and at
/// every line break. Not after an initial or a title (`U.S.`, `Mr.`), and not before a lowercase
/// word (`“Why?” he asked`). Ends inside a quotation belong to the quoted speech, not the article.
enum SentenceEnds {
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "st",
        "jr", "sr", "no", "inc", "co", "corp", "vs", "mm", "mme", "mlle", "messrs", "rev", "hon", "maj", "adm",
    ]

    static func find(in utf8: [UInt8], excluding quotations: [Range<Int>]) -> [Int] {
        var ends: [Int] = []
        ends.reserveCapacity(utf8.count / 128 + 8)
        let count = utf8.count
        // Ends inside a quotation (line breaks of one continued over paragraphs too) are not the
        // article's. Ends come in order and the quotations are sorted and do not overlap: each end
        // is checked against the first quotation not wholly before it.
        var quotation = 0
        // One pointer and one table for the whole scan: fetched at each stop, they cost a closure
        // call and the table's lazy-initialisation check per stop.
        utf8.withUnsafeBufferPointer { p in stopBytes.withUnsafeBufferPointer { stops in
            let table = stops.baseAddress!
            /// `UTF8ScalarCursor.decode`, ASCII answered in place: the scalars looked at after a
            /// terminator (a space, a letter) are nearly all ASCII, and the general decoder is a
            /// call into another module.
            @inline(__always) func scalar(at offset: Int) -> (Unicode.Scalar, Int) {
                let byte = p[offset]
                return byte < 0x80 ? (Unicode.Scalar(byte), 1) : UTF8ScalarCursor.decode(utf8, at: offset)
            }
            var i = 0
            while i < count {
                let skipStart = i
                i = firstFlaggedByte(p, from: i, table: table)
                guard i < count else { break }
                let byte = p[i]
                var terminatorLength = 0
                switch byte {
                case 0x0A, 0x0D:
                    add(i, to: &ends, quotation: &quotation, of: quotations)
                    i += 1
                    continue
                case 0x2E: terminatorLength = isAbbreviation(before: i, in: p) ? 0 : 1
                case 0x21, 0x3F: terminatorLength = 1
                case 0x9F:
                    // The second byte of ؟ (D8 9F): the scan stops there, not at every D8, which leads
                    // half the letters of Arabic text. A D8 before where this skip started was looked at.
                    if i > skipStart && p[i - 1] == 0xD8 {
                        i -= 1
                        terminatorLength = 2
                    }
                case 0xE2 where i + 2 < count && p[i + 1] == 0x80 && p[i + 2] == 0xA6: terminatorLength = 3  // …
                case 0xE3 where i + 2 < count && p[i + 1] == 0x80 && p[i + 2] == 0x82: terminatorLength = 3  // 。
                default: break
                }
                guard terminatorLength > 0 else {
                    i += 1
                    continue
                }
                var end = i + terminatorLength
                while end < count {
                    let (scalar, length) = scalar(at: end)
                    guard isClosingPunctuation(scalar) else { break }
                    end += length
                }
                i = end
                guard end == count || isWhitespace(scalar(at: end).0) else { continue }
                var next = end
                while next < count {
                    let (scalar, length) = scalar(at: next)
                    guard isWhitespace(scalar), scalar != "\n", scalar != "\r" else { break }
                    next += length
                }
                if next < count, isLowercase(scalar(at: next).0) { continue }
                add(end, to: &ends, quotation: &quotation, of: quotations)
            }
        } }
        return ends
    }

    /// Appends `end` unless it lies inside a quotation; `quotation` is the first one not wholly
    /// before the last end added. (A static function with inout arguments: as a closure over the
    /// locals, each call paid two dynamic exclusivity checks.)
    @inline(__always)
    private static func add(_ end: Int, to ends: inout [Int], quotation: inout Int, of quotations: [Range<Int>]) {
        while quotation < quotations.count && quotations[quotation].upperBound <= end { quotation += 1 }
        if !(quotation < quotations.count && quotations[quotation].lowerBound < end) { ends.append(end) }
    }

    /// 1 for the bytes the scan stops at: \n \r . ! ? and the bytes that tell ؟ … 。 (9F, the
    /// second byte of ؟; E2 and E3, the lead bytes of the other two).
    static let stopBytes: [UInt8] = (0...255).map { [0x0A, 0x0D, 0x21, 0x2E, 0x3F, 0x9F, 0xE2, 0xE3].contains($0) ? 1 : 0 }

    /// `abbreviations` packed one byte a letter into integers (all are ASCII and at most six long).
    static let abbreviationKeys: [UInt64] = abbreviations.map { word in
        word.utf8.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }.sorted()

    /// `properties.isWhitespace`, ASCII and the Arabic block (which has no white space) answered
    /// without the property tables.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        if value &- 0x0600 < 0x100 { return false }
        return scalar.properties.isWhitespace
    }

    /// `properties.isLowercase`, ASCII and the Arabic block (which has no case) answered without
    /// the property tables.
    @inline(__always)
    static func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (0x61...0x7A).contains(value) }
        if value &- 0x0600 < 0x100 { return false }
        return scalar.properties.isLowercase
    }

    static func isClosingPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "”", "’", "»", "›", "」", "』", ")", "]", "}", "“", "‘", "«": return true
        default: return false
        }
    }

    /// `U.S.`, `J. Smith`, `Mr. Kim`: a full stop after one capital letter or a known title.
    @inline(__always)
    static func isAbbreviation(before dot: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The ASCII letters before the dot, packed lowercase into a key as they are read back
        // (lowercasing is setting one bit); a word of seven letters or more is no abbreviation.
        var start = dot
        var key: UInt64 = 0
        while start > 0 {
            let byte = bytes[start - 1]
            guard (byte | 0x20) &- 0x61 < 26 else { break }
            if dot - start == 6 { return false }
            key = key << 8 | UInt64(byte | 0x20)
            start -= 1
        }
        let length = dot - start
        if length == 0 { return false }
        if length == 1 && bytes[start] &- 0x41 < 26 { return true }
        return isAbbreviationKey(key)
    }

    /// Whether `key` (letters packed as in `abbreviationKeys`) is one of them: one probe of
    /// `abbreviationSlots`, where a binary search of the keys took five steps for each full stop.
    @inline(__always)
    static func isAbbreviationKey(_ key: UInt64) -> Bool {
        let table = abbreviationSlots
        return table.slots.withUnsafeBufferPointer { $0[Int(truncatingIfNeeded: (key &* table.multiplier) >> 57)] == key }
    }

    /// `abbreviationKeys` in 128 slots by a multiplicative hash under which no two collide (the
    /// multiplier found once, by trying a fixed sequence of them); empty slots hold 0, no key.
    static let abbreviationSlots: (multiplier: UInt64, slots: [UInt64]) = {
        var multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        while true {
            var slots = [UInt64](repeating: 0, count: 128)
            var collided = false
            for key in abbreviationKeys {
                let slot = Int(truncatingIfNeeded: (key &* multiplier) >> 57)
                if slots[slot] != 0 {
                    collided = true
                    break
                }
                slots[slot] = key
            }
            if !collided { return (multiplier, slots) }
            multiplier = (multiplier &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407) | 1
        }
    }()

    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        // The Arabic block as the properties below answer it (a test checks every scalar of it),
        // without the property tables: Arabic letters, tatweel, the harakat that are
        // Other_Alphabetic (U+0658 is not), Arabic-Indic digits.
        if value >= 0x0600 && value <= 0x06FF {
            return (0x0621...0x0657).contains(value) || (0x0659...0x0669).contains(value) || (0x066E...0x06D3).contains(value)
                || isArabicBlockWord[Int(value - 0x0600)]
        }
        return isWordScalarByProperties(scalar)
    }

    /// `isWordScalarByProperties` of U+0600–U+06FF, made once: the block's punctuation (، ؛ ؟) and
    /// the marks outside the ranges above asked the property tables twice each.
    static let isArabicBlockWord: [Bool] = (UInt32(0x0600)...0x06FF).map { isWordScalarByProperties(Unicode.Scalar($0)!) }

    static func isWordScalarByProperties(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

/// The index of the first annotation of each id in a list of annotations: open addressing over
/// the ids' hashes, the slots holding indices into the list, whose ids are compared in place.
/// (`IDTable` keeps a copy of every id and its hash besides, three arrays to fill and free for
/// the few lookups a linker makes.)
struct FirstIndexByID {
    /// 0 for an empty slot, else index + 1; at most half full.
    private var slots: [Int32]

    init(_ annotations: [Annotation]) {
        var size = 16
        while size < annotations.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: 0, count: size)
        let mask = size - 1
        // By index: a copy of each annotation retained and released its strings and links.
        for index in annotations.indices {
            var slot = Self.hash(annotations[index].id) & mask
            while slots[slot] != 0 {
                // The first annotation of an id keeps it.
                if annotations[Int(slots[slot]) - 1].id == annotations[index].id { break }
                slot = (slot + 1) & mask
            }
            if slots[slot] == 0 { slots[slot] = Int32(index + 1) }
        }
        self.slots = slots
    }

    /// The index of the first annotation whose id is `id`, or nil. (`annotations` is the list the
    /// table was made from.)
    func find(_ id: String, in annotations: [Annotation]) -> Int? {
        let mask = slots.count - 1
        var slot = Self.hash(id) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if annotations[index].id == id { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// `IDTable.idHash`: the one hash of ids in the project.
    @inline(__always)
    static func hash(_ id: String) -> Int { Int(truncatingIfNeeded: IDTable.idHash(id)) }
}
