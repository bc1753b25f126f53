/// A lexicon entry found in a text.
///
/// Plain integers, no reference-counted field: matches are copied into the matcher's result and
/// out of it by the modules, and the category string, attributes dictionary and gaps array a
/// match used to carry were retained and released on every copy (and released one by one when the
/// array went). The entry's category and attributes are the lexicon's:
/// `lexicon.entries[match.entryIndex]`.
public struct LexiconMatch: Sendable, Hashable {
    /// The most gaps an entry may have (`LexiconError.tooManyGaps`): a match keeps its gaps inline.
    public static let maximumGaps = InlineGaps.capacity

    // Int32 like `Token`'s offsets: a text's offsets and token indices fit.
    @usableFromInline let rangeStart: Int32
    @usableFromInline let rangeEnd: Int32
    @usableFromInline let firstToken: Int32
    @usableFromInline let endToken: Int32
    @usableFromInline let entry: Int32
    @usableFromInline let procliticBytes: Int32
    /// The non-empty gaps, in order.
    let gapRanges: InlineGaps
    /// The proclitics stripped from the first token (empty when the whole word matched).
    public let proclitics: Proclitics

    /// Offsets come from `Token`'s Int32 ones, and there are fewer tokens than bytes: each value
    /// fits, so it is narrowed unchecked.
    init(range: Range<Int>, tokens: Range<Int>, gaps: InlineGaps, entryIndex: Int, proclitics: Proclitics,
         procliticLength: Int) {
        rangeStart = Int32(truncatingIfNeeded: range.lowerBound)
        rangeEnd = Int32(truncatingIfNeeded: range.upperBound)
        firstToken = Int32(truncatingIfNeeded: tokens.lowerBound)
        endToken = Int32(truncatingIfNeeded: tokens.upperBound)
        entry = Int32(truncatingIfNeeded: entryIndex)
        procliticBytes = Int32(truncatingIfNeeded: procliticLength)
        gapRanges = gaps
        self.proclitics = proclitics
    }

    /// UTF-8 range of the original text: from the stem of the first token (after any stripped
    /// proclitic) to the end of the last token.
    @inlinable public var range: Range<Int> { Int(rangeStart)..<Int(rangeEnd) }
    /// Token indices into `AnalyzedText.tokens` (gaps included).
    @inlinable public var tokens: Range<Int> { Int(firstToken)..<Int(endToken) }
    /// Index of the entry in `Lexicon.entries`.
    @inlinable public var entryIndex: Int { Int(entry) }
    /// How many bytes of the first token the proclitics take: `range.lowerBound - token start`.
    @inlinable public var procliticLength: Int { Int(procliticBytes) }

    /// The token ranges a gapped entry's gaps skipped, empty ones left out (empty, and allocating
    /// nothing, for a match without gaps).
    public var gaps: [Range<Int>] {
        guard !gapRanges.isEmpty else { return [] }
        return (0..<gapRanges.count).map { gapRanges[$0] }
    }

    /// The first non-empty gap (`gaps.first`, without building the array).
    public var firstGap: Range<Int>? { gapRanges.isEmpty ? nil : gapRanges[0] }

    /// The token ranges the entry's words matched: one per run of words between gaps.
    public var segments: [Range<Int>] {
        var result: [Range<Int>] = []
        var start = tokens.lowerBound
        for g in 0..<gapRanges.count {
            let gap = gapRanges[g]
            result.append(start..<gap.lowerBound)
            start = gap.upperBound
        }
        result.append(start..<tokens.upperBound)
        return result
    }
}

/// Up to `capacity` token ranges, kept inline: a match's gaps (and the walk's path of gaps) without
/// an array to allocate, retain and release.
struct InlineGaps: Sendable, Hashable {
    static let capacity = 4

    /// Lower and upper bound of each range; the slots from `count` on stay zero.
    private var bounds: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// How many of the slots hold a range (a byte: the count is at most `capacity`).
    private var used: UInt8 = 0

    init() {}

    var count: Int { Int(used) }

    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> Range<Int> {
        precondition(index >= 0 && index < count, "gap index out of range")
        return withUnsafeBytes(of: bounds) { raw in
            Int(raw.load(fromByteOffset: 8 * index, as: Int32.self))..<Int(raw.load(fromByteOffset: 8 * index + 4, as: Int32.self))
        }
    }

    mutating func append(_ lower: Int, _ upper: Int) {
        precondition(count < Self.capacity, "more gaps than a lexicon entry may have")
        let offset = 8 * count
        withUnsafeMutableBytes(of: &bounds) { raw in
            raw.storeBytes(of: Int32(lower), toByteOffset: offset, as: Int32.self)
            raw.storeBytes(of: Int32(upper), toByteOffset: offset + 4, as: Int32.self)
        }
        used += 1
    }

    mutating func removeLast() {
        precondition(count > 0)
        used -= 1
        let offset = 8 * count
        withUnsafeMutableBytes(of: &bounds) { raw in raw.storeBytes(of: 0 as Int64, toByteOffset: offset, as: Int64.self) }
    }

    static func == (a: InlineGaps, b: InlineGaps) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for i in 0..<count { hasher.combine(self[i]) }
    }
}

/// Finds lexicon entries in analyzed texts: one left-to-right pass over the tokens, the longest
/// match winning at each position (then the whole word over a clitic split, then priority, then the
/// entry listed first), conditions checked on the winner and shorter candidates tried when they
/// fail. Matches do not overlap unless asked to.
public struct LexiconMatcher: Sendable {
    public let lexicon: Lexicon
    /// When true, a match does not consume its tokens: matching resumes at the next token.
    public let overlapping: Bool

    public init(_ lexicon: Lexicon, overlapping: Bool = false) {
        self.lexicon = lexicon
        self.overlapping = overlapping
    }

    /// A clitic reading of a text form whose stem starts some entry.
    struct BoundSplit: Equatable {
        let form: Int32
        let letters: Int32
        let proclitics: Proclitics
    }

    /// What a text binds to the lexicon, once per text: which forms may start an entry, and the
    /// clitic readings that do.
    struct Binding {
        /// Splits of form `f` are `splits[splitStart[f]..<splitStart[f + 1]]`; empty when the
        /// text has no clitic readings to bind (no Arabic, or no entry allows a proclitic).
        var splitStart: [Int32]
        var splits: [BoundSplit]
        /// Per form, the trie node below the root for the whole word when an entry starts with
        /// it; else `onlyClitics` when only clitic readings of it start entries, `startsNothing`
        /// when nothing does. The pass over the tokens skips the forms that start nothing with
        /// one load, and has the node of the others without looking their id up again.
        var entryStart: [Int32]

        static let startsNothing: Int32 = -1
        static let onlyClitics: Int32 = -2
    }

    /// The text's forms as vocabulary ids, each looked up when first asked for: matching needs the
    /// ids of the few forms a walk or a condition reaches, and of the forms that start an entry,
    /// not of every form of the text (most of which the vocabulary lacks, while looking up those
    /// it has compares their bytes).
    ///
    /// A class, though it lives only while `withFormIDs` runs (its buffers are borrowed from the
    /// tables for that long): the walk and the conditions hold it as one reference, where the
    /// struct's dozen words were copied into every call.
    final class FormIDs {
        /// -2 for a form not looked up yet, -1 for one the vocabulary lacks.
        let ids: UnsafeMutableBufferPointer<Int32>
        let compiled: Lexicon.Compiled
        /// The vocabulary's table and the text's forms (`starts`, `storage`), as raw buffers.
        let vocabulary: FormTable.Probe
        let text: FormTable.Probe
        let hashes: UnsafeBufferPointer<UInt32>
        /// False for the general path: no hash filter, every form probed.
        let filtering: Bool

        init(ids: UnsafeMutableBufferPointer<Int32>, compiled: Lexicon.Compiled, vocabulary: FormTable.Probe,
             text: FormTable.Probe, hashes: UnsafeBufferPointer<UInt32>, filtering: Bool) {
            self.ids = ids
            self.compiled = compiled
            self.vocabulary = vocabulary
            self.text = text
            self.hashes = hashes
            self.filtering = filtering
        }

        static let unknown: Int32 = -2

        /// The vocabulary id of text form `form`, or -1.
        @inline(__always)
        subscript(form: Int) -> Int32 {
            let id = ids[form]
            return id != Self.unknown ? id : lookUp(form)
        }

        /// The normalized bytes of text form `form`.
        @inline(__always)
        func bytes(_ form: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: text.storage[Int(text.starts[form])..<Int(text.starts[form + 1])])
        }

        func lookUp(_ form: Int) -> Int32 {
            let hash = hashes[form]
            let id = filtering && !compiled.vocabularyHashes.mayContain(hash)
                ? -1 : compiled.lookup(bytes(form), hash: hash, probe: vocabulary)
            ids[form] = id
            return id
        }
    }

    /// Runs `body` with the form ids of `text`, none looked up yet.
    func withFormIDs<R>(of text: AnalyzedText, filtering: Bool, _ body: (FormIDs) -> R) -> R {
        let compiled = lexicon.compiled
        var ids = [Int32](repeating: FormIDs.unknown, count: text.forms.count)
        return ids.withUnsafeMutableBufferPointer { ids in
            compiled.vocabulary.withProbe { vocabulary in
                text.forms.withProbe { own in
                    text.forms.hashes.withUnsafeBufferPointer { hashes in
                        body(FormIDs(ids: ids, compiled: compiled, vocabulary: vocabulary, text: own, hashes: hashes,
                                     filtering: filtering))
                    }
                }
            }
        }
    }

    /// The binding and the form ids (all looked up) of `text`: what matching sees, for tests.
    func bind(_ text: AnalyzedText, filtering: Bool = true) -> (binding: Binding, forms: [Int32]) {
        withFormIDs(of: text, filtering: filtering) { ids in
            let binding = bind(text, ids: ids)
            return (binding, (0..<text.forms.count).map { ids[$0] })
        }
    }

    /// Binds `text` to the lexicon: one pass over its forms, each that may start an entry looked
    /// up and, when it may carry a proclitic, split. With `ids.filtering` false every form that
    /// may carry a proclitic is split, without the lexicon's filters (the general path, which tests
    /// compare the filtered one with).
    func bind(_ text: AnalyzedText, ids: FormIDs) -> Binding {
        let count = text.forms.count
        let compiled = lexicon.compiled
        let readsClitics = compiled.usesProclitics && text.hasArabic
        var entryStart = [Int32](repeating: Binding.startsNothing, count: count)
        var splitStart = readsClitics ? [Int32](repeating: 0, count: count + 1) : []
        var splits: [BoundSplit] = []
        // Two passes, whole words then clitic readings: in one, the Arabic work kept the loop's
        // registers and spilled the whole-word test's, which every form of every text pays.
        compiled.rootChild.withUnsafeBufferPointer { rootChild in
            entryStart.withUnsafeMutableBufferPointer { entryStart in
                let firstWords = compiled.firstWordHashes
                for f in 0..<count where !ids.filtering || firstWords.mayContain(ids.hashes[f]) {
                    let id = ids[f]
                    if id >= 0 { entryStart[f] = rootChild[Int(id)] }
                }
                guard readsClitics, count > 0 else { return }
                splitStart.withUnsafeMutableBufferPointer { splitStart in
                    Self.bindClitics(count: count, ids: ids, compiled: compiled, rootChild: rootChild,
                                     entryStart: entryStart, splitStart: splitStart, into: &splits)
                }
            }
        }
        return Binding(splitStart: splitStart, splits: splits, entryStart: entryStart)
    }

    /// The clitic readings of the text's forms whose stems start entries, into `splits`, with
    /// `splitStart` and, for a form no entry starts with whole, `entryStart`.
    static func bindClitics(count: Int, ids: FormIDs, compiled: Lexicon.Compiled, rootChild: UnsafeBufferPointer<Int32>,
                            entryStart: UnsafeMutableBufferPointer<Int32>, splitStart: UnsafeMutableBufferPointer<Int32>,
                            into splits: inout [BoundSplit]) {
        let endings = ids.filtering ? compiled.stemEndings : nil
        let starts = ids.text.starts
        let storage = ids.text.storage.baseAddress!
        var found: Int32 = 0
        for f in 0..<count {
            let start = Int(starts[f])
            let form = UnsafeBufferPointer(start: storage + start, count: Int(starts[f + 1]) - start)
            if mayCarryProclitic(form) {
                if endings?.mayHaveStem(in: form) ?? true {
                    bindReadings(of: form, compiled: compiled, probe: ids.vocabulary, rootChild: rootChild,
                                 into: &splits)
                    if splits.count != Int(found) {
                        found = Int32(truncatingIfNeeded: splits.count)
                        if entryStart[f] < 0 { entryStart[f] = Binding.onlyClitics }
                    }
                } else {
                    assert({
                        var none: [BoundSplit] = []
                        bindReadings(of: form, compiled: compiled, probe: ids.vocabulary, rootChild: rootChild,
                                     into: &none)
                        return none.isEmpty
                    }(), "a stem that starts an entry does not end like its form")
                }
            }
            splitStart[f + 1] = found
        }
    }

    /// Whether a normalized form can have clitic readings: only Arabic words of three letters or
    /// more that start with a proclitic letter (و ف ب ل ك ا) have them.
    @inline(__always)
    static func mayCarryProclitic(_ form: UnsafeBufferPointer<UInt8>) -> Bool {
        guard form.count >= 6 else { return false }
        let b1 = form[1]
        switch form[0] {
        case 0xD9: return b1 == 0x88 || b1 == 0x81 || b1 == 0x84 || b1 == 0x83
        case 0xD8: return b1 == 0xA8 || b1 == 0xA7
        default: return false
        }
    }

    /// Appends to `found` the clitic readings of `form` whose stem starts an entry that allows
    /// their proclitics, lightest first (`ArabicMorphology.splits`' order).
    static func bindReadings(of form: UnsafeBufferPointer<UInt8>, compiled: Lexicon.Compiled, probe: FormTable.Probe,
                             rootChild: UnsafeBufferPointer<Int32>, into found: inout [BoundSplit]) {
        ArabicMorphology.forEachSplit(of: form) { reading in
            let suffix = UnsafeBufferPointer(rebasing: form[reading.stemBytes])
            let id: Int32
            if reading.prependArticle {
                // `ال` + the suffix, on the stack.
                id = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 + suffix.count) { stem in
                    stem[0] = ArabicMorphology.alef.0
                    stem[1] = ArabicMorphology.alef.1
                    stem[2] = ArabicMorphology.lam.0
                    stem[3] = ArabicMorphology.lam.1
                    UnsafeMutableBufferPointer(rebasing: stem[4...]).baseAddress?.update(from: suffix.baseAddress!,
                                                                                         count: suffix.count)
                    let bytes = UnsafeBufferPointer(stem)
                    return compiled.lookup(bytes, hash: FormTable.hash(bytes), probe: probe)
                }
            } else {
                id = compiled.lookup(suffix, hash: FormTable.hash(suffix), probe: probe)
            }
            // A reading whose proclitics no entry starting with the stem allows can match nothing.
            if id >= 0 && rootChild[Int(id)] >= 0 && reading.proclitics.isSubset(of: compiled.firstWordProclitics[Int(id)]) {
                found.append(BoundSplit(form: id, letters: Int32(reading.letterCount), proclitics: reading.proclitics))
            }
        }
    }

    /// One way a match can end: the trie node reached, the token after the last matched one,
    /// the first-token reading (-1: the whole word, else an index into `Binding.splits`), and
    /// the non-empty gaps skipped.
    struct Candidate {
        let node: Int32
        let end: Int
        let split: Int
        let gaps: InlineGaps
    }

    /// An entry a candidate accepts, with what ranks it (`best`'s order).
    struct Choice {
        let candidate: Int
        let entry: Int32
        let end: Int
        let split: Int
        let priority: Int

        /// Whether `self` goes before `other`: the longest, then the whole word before clitic
        /// readings (lightest first), then priority, then the entry listed first.
        @inline(__always)
        func precedes(_ other: Choice) -> Bool {
            if end != other.end { return end > other.end }
            if split != other.split { return split < other.split }  // -1, the whole word, first
            if priority != other.priority { return priority > other.priority }
            return entry < other.entry
        }
    }

    /// The trie walk from one position, and scratch lists reused from one position to the next
    /// (allocated for one `matches` call, freed by `deallocate`).
    struct Walk {
        let compiled: Lexicon.Compiled
        let forms: FormIDs
        let tokens: UnsafeBufferPointer<Token>
        /// `compiled.nodeKinds` and `compiled.edges`, as raw buffers.
        let nodeKinds: UnsafeBufferPointer<UInt8>
        let edges: Lexicon.EdgeTable.Lookup
        var sentenceEnd = 0
        var split = -1
        var candidates = ScratchList<Candidate>(capacity: 8)
        /// The non-empty gaps on the way to the node being walked.
        var gapPath = InlineGaps()
        /// Nodes with gaps on the literal chains being walked, and the position after each: their
        /// gaps are tried once the chain below them is done.
        var pendingGaps = ScratchList<(node: Int32, position: Int)>(capacity: 8)
        var choices = ScratchList<Choice>(capacity: 8)

        init(compiled: Lexicon.Compiled, forms: FormIDs, tokens: UnsafeBufferPointer<Token>,
             nodeKinds: UnsafeBufferPointer<UInt8>, edges: Lexicon.EdgeTable.Lookup) {
            self.compiled = compiled
            self.forms = forms
            self.tokens = tokens
            self.nodeKinds = nodeKinds
            self.edges = edges
        }

        func deallocate() {
            candidates.deallocate()
            pendingGaps.deallocate()
            choices.deallocate()
        }

        /// Appends a candidate for each node reachable from `node` at token `position` that accepts
        /// an entry, depth first: a node, then what its literal edge reaches, then what its gaps
        /// reach (the order ties between equal choices are settled in).
        ///
        /// A node has one literal edge for the token at a position, so the literal chain is a loop,
        /// inlined into the pass over the tokens; only gaps recurse (`walkGaps`): most nodes have
        /// none, and a call per walk cost about as much as the walk.
        @inline(__always)
        mutating func walk(node: Int32, position: Int) {
            let base = pendingGaps.count
            var node = node
            var position = position
            while true {
                let kind = nodeKinds[Int(node)]
                if kind & Lexicon.Compiled.accepts != 0 {
                    candidates.append(Candidate(node: node, end: position, split: split, gaps: gapPath))
                }
                if kind & Lexicon.Compiled.hasGaps != 0 { pendingGaps.append((node, position)) }
                guard position < sentenceEnd, let child = literal(from: node, at: position) else { break }
                node = child
                position += 1
            }
            if pendingGaps.count > base { walkGaps(downTo: base) }
        }

        /// Tries the gaps of the nodes in `pendingGaps` above `base`, the deepest node first: in
        /// depth-first order, a node's gaps come after all its literal edge reaches, its child's
        /// gaps included.
        @inline(never)
        mutating func walkGaps(downTo base: Int) {
            while pendingGaps.count > base {
                let (node, position) = pendingGaps.removeLast()
                let n = Int(node)
                var g = Int(compiled.gapStart[n])
                let gEnd = Int(compiled.gapStart[n + 1])
                while g < gEnd {
                    let gap = compiled.gaps[g]
                    var skip = gap.min
                    while skip <= gap.max && position + skip < sentenceEnd {
                        if skip == 0 {
                            // An empty gap skips nothing: the words around it are one segment.
                            if let child = literal(from: gap.target, at: position) { walk(node: child, position: position + 1) }
                        } else {
                            gapPath.append(position, position + skip)
                            if let child = literal(from: gap.target, at: position + skip) {
                                walk(node: child, position: position + skip + 1)
                            }
                            gapPath.removeLast()
                        }
                        skip += 1
                    }
                    g += 1
                }
            }
        }

        /// The child of `node` by the form of the token at `position`.
        @inline(__always)
        func literal(from node: Int32, at position: Int) -> Int32? {
            let form = Int(tokens[position].form)
            var f = forms.ids[form]
            if f == FormIDs.unknown {
                // A form no edge reads is not looked up (nor marked: conditions may look it up).
                guard compiled.laterWordHashes.mayContain(forms.hashes[form]) else { return nil }
                f = forms.lookUp(form)
            }
            guard f >= 0 else { return nil }
            return edges[UInt64(UInt32(node)) << 32 | UInt64(UInt32(f))]
        }
    }

    public func matches(in text: AnalyzedText) -> [LexiconMatch] {
        withFormIDs(of: text, filtering: true) { forms in matches(in: text, forms: forms) }
    }

    func matches(in text: AnalyzedText, forms: FormIDs) -> [LexiconMatch] {
        let binding = bind(text, ids: forms)
        let compiled = lexicon.compiled
        let rootChild = compiled.rootChild
        let splitStart = binding.splitStart
        let sentences = text.sentences
        var result: [LexiconMatch] = []
        // Up to about one match in eight tokens (the sources lexicon on PolNeAR; fewer elsewhere):
        // growing copied the array, from empty four or five times a text, from a sixteenth of
        // the tokens still once in most texts.
        result.reserveCapacity(text.tokens.count / 6 + 4)
        let entryStart = binding.entryStart
        let hasSplits = !splitStart.isEmpty
        // The tables the pass reads at every token or step, as raw buffers (indices come from the
        // text and the trie, in range by construction).
        text.tokens.withUnsafeBufferPointer { tokens in
            compiled.nodeKinds.withUnsafeBufferPointer { nodeKinds in
                compiled.edges.withLookup { edges in
                    rootChild.withUnsafeBufferPointer { rootChild in
                        entryStart.withUnsafeBufferPointer { entryStart in
                            var walk = Walk(compiled: compiled, forms: forms, tokens: tokens, nodeKinds: nodeKinds,
                                            edges: edges)
                            defer { walk.deallocate() }
                            let count = tokens.count
                            var i = 0
                            while i < count {
                                // Most tokens start no entry.
                                while i < count && entryStart[Int(tokens[i].form)] == Binding.startsNothing { i += 1 }
                                guard i < count else { break }
                                let form = Int(tokens[i].form)
                                let root = entryStart[form]
                                let splitRange = hasSplits ? Int(splitStart[form])..<Int(splitStart[form + 1]) : 0..<0
                                walk.candidates.removeAll()
                                walk.sentenceEnd = sentences[text.sentenceIndex(ofToken: i)].tokens.upperBound
                                if root >= 0 {
                                    walk.split = -1
                                    walk.walk(node: root, position: i + 1)
                                }
                                for s in splitRange {
                                    walk.split = s
                                    walk.walk(node: rootChild[Int(binding.splits[s].form)], position: i + 1)
                                }
                                // Most walks find nothing (an entry's first word, not followed by the
                                // rest). The match goes straight into `result`.
                                if !walk.candidates.isEmpty,
                                   let end = best(&walk, at: i, in: text, binding: binding, into: &result)
                                {
                                    i = overlapping ? i + 1 : end
                                } else {
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The winning match among the candidates at token `start`, conditions checked: the longest,
    /// then the whole word before clitic readings (lightest first), then priority, then the entry
    /// listed first. Appends it to `result` and returns the token after it, or nil when no candidate holds.
    func best(_ walk: inout Walk, at start: Int, in text: AnalyzedText, binding: Binding,
              into result: inout [LexiconMatch]) -> Int? {
        guard !walk.candidates.isEmpty else { return nil }
        let compiled = lexicon.compiled
        // Most often one candidate, accepting one entry: no choices to list and rank.
        if walk.candidates.count == 1 {
            let candidate = walk.candidates[0]
            let first = Int(compiled.acceptStart[Int(candidate.node)])
            if Int(compiled.acceptStart[Int(candidate.node) + 1]) == first + 1 {
                let choice = Choice(candidate: 0, entry: compiled.accepting[first], end: candidate.end,
                                    split: candidate.split, priority: 0)
                return take(choice, gaps: candidate.gaps, at: start, in: text, binding: binding, forms: walk.forms,
                            into: &result) ? choice.end : nil
            }
        }
        walk.choices.removeAll()
        for c in 0..<walk.candidates.count {
            let candidate = walk.candidates[c]
            let node = Int(candidate.node)
            for a in Int(compiled.acceptStart[node])..<Int(compiled.acceptStart[node + 1]) {
                let entry = compiled.accepting[a]
                walk.choices.append(Choice(candidate: c, entry: entry, end: candidate.end, split: candidate.split,
                                           priority: compiled.priorities[Int(entry)]))
            }
        }
        // Insertion sort, stable like the standard sort it replaces (ties keep the walk's order):
        // a few choices.
        walk.choices.sortStably { $0.precedes($1) }
        for index in 0..<walk.choices.count {
            let choice = walk.choices[index]
            if take(choice, gaps: walk.candidates[choice.candidate].gaps, at: start, in: text, binding: binding,
                    forms: walk.forms, into: &result)
            {
                return choice.end
            }
        }
        return nil
    }

    /// Appends the match of `choice` to `result` if its clitic reading is one the entry allows and
    /// its conditions hold; returns whether it did.
    @inline(__always)
    func take(_ choice: Choice, gaps: InlineGaps, at start: Int, in text: AnalyzedText, binding: Binding,
              forms: FormIDs, into result: inout [LexiconMatch]) -> Bool {
        let tokenStart = text.tokens[start].start
        var proclitics: Proclitics = []
        var rangeStart = tokenStart
        if choice.split >= 0 {
            let split = binding.splits[choice.split]
            guard split.proclitics.isSubset(of: lexicon.compiled.entryProclitics[Int(choice.entry)]) else { return false }
            proclitics = split.proclitics
            rangeStart = text.utf8.withUnsafeBufferPointer {
                ArabicMorphology.offset(ofLetter: Int(split.letters), in: $0, range: text.tokens[start].range)
            }
        }
        let tokenRange = start..<choice.end
        let range = rangeStart..<text.tokens[choice.end - 1].end
        guard conditionsHold(Int(choice.entry), tokens: tokenRange, range: range, in: text, forms: forms) else {
            return false
        }
        result.append(LexiconMatch(range: range, tokens: tokenRange, gaps: gaps, entryIndex: Int(choice.entry),
                                   proclitics: proclitics, procliticLength: rangeStart - tokenStart))
        return true
    }

    // MARK: Conditions

    /// Whether entry `entry`'s conditions hold for a match: most entries have none, told apart
    /// here, inlined, without a call.
    @inline(__always)
    func conditionsHold(_ entry: Int, tokens: Range<Int>, range: Range<Int>, in text: AnalyzedText,
                        forms: FormIDs) -> Bool {
        lexicon.compiled.conditions[entry].isEmpty
            || checkConditions(entry, tokens: tokens, range: range, in: text, forms: forms)
    }

    func checkConditions(_ entry: Int, tokens: Range<Int>, range: Range<Int>, in text: AnalyzedText,
                         forms: FormIDs) -> Bool {
        let compiled = lexicon.compiled
        let conditions = compiled.conditions[entry]
        let sentence = text.sentences[text.sentenceIndex(ofToken: tokens.lowerBound)].tokens
        let next: Int? = tokens.upperBound < sentence.upperBound ? tokens.upperBound : nil
        let previous: Int? = tokens.lowerBound > sentence.lowerBound ? tokens.lowerBound - 1 : nil
        func inSet(_ token: Int?, _ set: Int) -> Bool {
            guard let token else { return false }
            let f = forms[Int(text.tokens[token].form)]
            return f >= 0 && compiled.wordSets[set].contains(f)
        }
        for condition in conditions {
            let holds: Bool
            switch condition {
            case .nextIn(let set, let negated):
                holds = inSet(next, set) != negated
            case .previousIn(let set, let negated):
                holds = inSet(previous, set) != negated
            case .nextIsNumber(let negated):
                var isNumber = false
                if var n = next {
                    // One currency sign may stand between (`about $300`).
                    if text.tokens[n].kind == .symbol && n + 1 < sentence.upperBound { n += 1 }
                    isNumber = text.tokens[n].kind == .number || inSet(n, compiled.numbersSet)
                }
                holds = isNumber != negated
            case .sentenceInitial(let negated):
                holds = text.isSentenceInitial(token: tokens.lowerBound) != negated
            case .surface(let strings, let negated):
                let actual = text.utf8[range]
                holds = strings.contains { $0.elementsEqual(actual) } != negated
            case .capitalized(let negated):
                holds = text.tokens[tokens.lowerBound].flags.contains(.capitalized) != negated
            case .nextVerb(let aspect):
                guard var n = next else {
                    holds = false
                    break
                }
                // قد لا يكون: look past the negation.
                if text.forms.bytes(Int(text.tokens[n].form)).elementsEqual([0xD9, 0x84, 0xD8, 0xA7]),
                   n + 1 < sentence.upperBound
                {
                    n += 1
                }
                holds = text.verbAspect(ofToken: n) == aspect
            }
            if !holds { return false }
        }
        return true
    }
}

/// A list of plain values (no references) in a buffer of its own, for the matcher's scratch lists:
/// emptied at each token that starts an entry and appended to a few times. An `Array` called the
/// runtime to check it was unshared on every append and removal. Freed by `deallocate`.
struct ScratchList<Element> {
    private var elements: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        precondition(_isPOD(Element.self), "ScratchList holds plain values only")
        elements = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    func deallocate() { elements.deallocate() }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "index out of range")
        return elements[index]
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (elements + count).initialize(to: element)
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: elements, count: count)
        elements.deallocate()
        elements = larger
        capacity *= 2
    }

    @inline(__always)
    mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast on an empty list")
        count -= 1
        return elements[count]
    }

    /// Plain values need no deinitializing: forgetting them is enough.
    @inline(__always)
    mutating func removeAll() { count = 0 }

    /// Sorts by insertion, stably (equal elements keep their order).
    @inline(__always)
    mutating func sortStably(by precedes: (Element, Element) -> Bool) {
        guard count > 1 else { return }
        for i in 1..<count {
            let element = elements[i]
            var j = i
            while j > 0 && precedes(element, elements[j - 1]) {
                elements[j] = elements[j - 1]
                j -= 1
            }
            elements[j] = element
        }
    }
}
