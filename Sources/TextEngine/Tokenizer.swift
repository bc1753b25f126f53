/// Splits UTF-8 text into tokens and gives each its normalized form, in one pass over the bytes.
///
/// Normalization happens here, once per token, so that matching compares integer form ids and
/// never strings. The original text is never altered: a token is a byte range of it, and its
/// form lives in a `FormTable`.
///
/// Normalized forms (what `TextNormalizer` documents): case folded; ’ ʼ → ' and ‐ ‑ → - inside
/// words; Arabic diacritics (U+064B–U+065F, U+0670, Quranic marks) and tatweel dropped; أ إ آ ٱ → ا,
/// ى → ي (and the Persian ی ک → ي ك); Arabic-Indic digits → ASCII, ٫ → . and ٬ → , in numbers.
/// ة stays ة: folding it to ه is a matching-time option (`Lexicon.Options.foldTaMarbuta`).
struct Tokenizer {
    private let p: UnsafeBufferPointer<UInt8>
    private let n: Int
    /// The tokens so far and the flags of the next one (see `Output`). `run` keeps a copy in a
    /// local and writes it back here only around the paths that work through `self`.
    private var output: Output
    private var forms: FormTable.Builder
    /// Whether a token started with an Arabic letter or mark: only Arabic words' forms have
    /// proclitic readings. (Set where such a token starts, not in `scanArabicWord`, whose hot loop
    /// lost registers to it.)
    private var sawArabic = false
    /// The form being built. Raw memory, not an array: appending to an array checks uniqueness
    /// and capacity on every byte, which showed as a tenth of tokenizing time. At first room that
    /// `tokenize` lends (`scratchBorrowed`, never freed here), its own buffer once it grows.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCount = 0
    private var scratchCapacity = Self.scratchRoom
    private var scratchBorrowed = true
    static let scratchRoom = 256
    /// The form id of each ASCII byte that is a one-byte punctuation token (period, apostrophe,
    /// hyphen, comma, punctuation), once a token has interned it; -1 before. `run` emits such a
    /// byte from here, without classifying, hashing and probing it again. A table of its own per
    /// text (the ids are the text's), 512 bytes, in room that `tokenize` lends.
    private var asciiPunctuationForms: UnsafeMutablePointer<Int32>
    /// The entry of \n in `asciiPunctuationForms`: a line break (one ends every paragraph of
    /// news text), which `run` then takes without the call to `scanOther`.
    private static let lineFeedEntry: Int32 = -2

    /// Flag sets spelled as constants, not array literals: `[]` and `[.a, .b]` built (and freed)
    /// an array per token here, the optimizer leaving `OptionSet(arrayLiteral:)` in place.
    private static var none: TokenFlags { TokenFlags(rawValue: 0) }
    private static var spaceBefore: TokenFlags { TokenFlags(rawValue: TokenFlags.spaceBefore.rawValue) }
    private static var lineBreak: TokenFlags {
        TokenFlags(rawValue: TokenFlags.spaceBefore.rawValue | TokenFlags.paragraphStart.rawValue)
    }

    /// `tokens` is the (uninitialized) room for the first `tokenCapacity` tokens; `forms` the
    /// form table's builder; `scratch` room for `scratchRoom` bytes and `asciiPunctuationForms`
    /// for 128 entries, both uninitialized and their caller's (never freed here).
    private init(_ p: UnsafeBufferPointer<UInt8>, tokens: UnsafeMutablePointer<Token>, tokenCapacity: Int,
                 forms: FormTable.Builder, scratch: UnsafeMutablePointer<UInt8>,
                 asciiPunctuationForms: UnsafeMutablePointer<Int32>) {
        self.p = p
        self.n = p.count
        output = Output(tokens: tokens, capacity: tokenCapacity)
        self.forms = forms
        self.scratch = scratch
        self.asciiPunctuationForms = asciiPunctuationForms
        asciiPunctuationForms.initialize(repeating: -1, count: 128)
        asciiPunctuationForms[0x0A] = Self.lineFeedEntry
    }

    /// The tokens so far and the flags the next one gets. Raw memory, as `scratch` and
    /// `FormTable.Builder`: an array's append checks uniqueness and capacity out of line for every
    /// token. At first the uninitialized buffer of the array `tokenize` returns (`borrowed`), so
    /// that most texts' tokens are never copied; the tokenizer's own buffer once they outgrow it.
    /// A struct of its own so that `run` can keep it in a local (in registers): as fields of
    /// `self`, every word cost loads and stores of them, and every call out of line spilled the rest.
    struct Output {
        /// The first token; the next one goes to `next`, and there is room up to `limit`. (Two
        /// pointers, not a count and a capacity: one register fewer in `run`, whose loop is short
        /// of them, and no address to work out per token.)
        var tokens: UnsafeMutablePointer<Token>
        var next: UnsafeMutablePointer<Token>
        var limit: UnsafeMutablePointer<Token>
        var borrowed = true
        /// Flags the next token gets from what came before it (white space, a line break).
        var pending = Tokenizer.lineBreak

        init(tokens: UnsafeMutablePointer<Token>, capacity: Int) {
            self.tokens = tokens
            next = tokens
            limit = tokens + capacity
        }

        var count: Int { next - tokens }

        @inline(__always)
        mutating func append(_ token: Token) {
            if next == limit { (tokens, next, limit, borrowed) = Self.grown(tokens, next, limit, borrowed) }
            next.initialize(to: token)
            next += 1
        }

        /// The buffer of twice the capacity. Static, given the values: a mutating call would take
        /// the address of `run`'s local and keep it out of registers.
        @inline(never)
        static func grown(_ tokens: UnsafeMutablePointer<Token>, _ next: UnsafeMutablePointer<Token>,
                          _ limit: UnsafeMutablePointer<Token>, _ borrowed: Bool)
            -> (UnsafeMutablePointer<Token>, UnsafeMutablePointer<Token>, UnsafeMutablePointer<Token>, Bool)
        {
            let count = next - tokens
            let capacity = limit - tokens
            let grown: UnsafeMutablePointer<Token>
            if borrowed {
                // The array's room stays the array's: copied from, not freed.
                grown = UnsafeMutablePointer<Token>.allocate(capacity: capacity * 2)
                grown.initialize(from: tokens, count: count)
            } else {
                grown = tokens.moved(count: count, toCapacity: capacity * 2)
            }
            return (grown, grown + count, grown + capacity * 2, false)
        }
    }

    /// Tokens of `utf8` with their forms.
    static func tokenize(_ utf8: [UInt8]) -> (tokens: [Token], forms: FormTable, hasArabic: Bool) {
        utf8.withUnsafeBufferPointer { buffer in
            // A news article brings a new form every second or third token (about one per fourteen
            // bytes): sized so that the form table's slots do not grow for most texts.
            let formRoom = min(buffer.count / 12 + 32, 1 << 20)
            let slotCount = FormTable.Builder.slotCount(forms: formRoom)
            // Set in the closures below, which always run. An optional: a spare table made up
            // front allocated its arrays (and zeroed its slots) only to be replaced.
            var builder: FormTable.Builder?
            var hasArabic = false
            var outgrown: [Token] = []
            var tokens: [Token] = []
            // The form table's slots are built in the room of the array the table keeps, as the
            // tokens are: copying them (the table's largest array) cost as much as zeroing them.
            // Room for the builder's `slotChunks` too, after the slots, and for the tokenizer's
            // `asciiPunctuationForms` (64 words) and `scratch`: one allocation, not four (texts
            // come a paragraph at a time, and each malloc and free cost about 50 instructions).
            let scratchWords = Tokenizer.scratchRoom / 8
            let slots = [UInt64](unsafeUninitializedCapacity: 2 * slotCount + 64 + scratchWords) { slotRoom, slotsInitialized in
                let room = slotRoom.baseAddress!
                let forms = FormTable.Builder(forms: formRoom, bytes: min(buffer.count / 2 + 64, 1 << 24),
                                              slots: room, slotChunks: room + slotCount)
                let punctuationRoom = UnsafeMutableRawPointer(room + 2 * slotCount).bindMemory(to: Int32.self, capacity: 128)
                let scratchRoom = UnsafeMutableRawPointer(room + 2 * slotCount + 64)
                    .bindMemory(to: UInt8.self, capacity: Tokenizer.scratchRoom)
                // News prose runs at about one token per six bytes: room for one per five, so that
                // the array need not grow for most texts.
                tokens = [Token](unsafeUninitializedCapacity: buffer.count / 5 + 16) { room, initialized in
                    var tokenizer = Tokenizer(buffer, tokens: room.baseAddress!, tokenCapacity: room.count, forms: forms,
                                              scratch: scratchRoom, asciiPunctuationForms: punctuationRoom)
                    tokenizer.run()
                    let output = tokenizer.output
                    if output.borrowed {
                        initialized = output.count
                    } else {
                        // More tokens than room: they are in the tokenizer's own buffer (and the
                        // array's room holds copies of the first ones, trivial values left as they are).
                        outgrown = Array(UnsafeBufferPointer(start: output.tokens, count: output.count))
                        output.tokens.deallocate()
                        initialized = 0
                    }
                    if !tokenizer.scratchBorrowed { tokenizer.scratch.deallocate() }
                    builder = tokenizer.forms
                    hasArabic = tokenizer.sawArabic
                }
                // Grown slots live in the builder's own buffer; this room is then left unused.
                slotsInitialized = builder!.slotsBorrowed ? slotCount : 0
            }
            if !outgrown.isEmpty { tokens = outgrown }
            let forms = builder!.finish(slots: slots)
            return (tokens, forms, hasArabic)
        }
    }

    // MARK: Decoding

    /// The scalar at `i` and its length. Invalid bytes decode as U+FFFD, one byte at a time, so
    /// a walk always ends (Swift strings are valid UTF-8, but a client's bytes need not be).
    @inline(__always)
    private func decode(_ i: Int) -> (UInt32, Int) { Self.decode(p, i) }

    /// `decode` of the scalar at `i` of `p`, for the static helpers.
    @inline(__always)
    private static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let n = p.count
        let b0 = p[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 >= 0xC2 && b0 < 0xE0 && i + 1 < n {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F), 2)
        }
        if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F), 3)
        }
        if b0 >= 0xF0 && i + 3 < n {
            return ((UInt32(b0 & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12) | (UInt32(p[i + 2] & 0x3F) << 6)
                | UInt32(p[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    /// The class of the scalar at `i` of `p`, nil past the end. Static, given the text: the
    /// method it replaced was called out of line from `scanWordGeneral`, and each call copied the
    /// whole tokenizer (through memcpy) to pass it.
    @inline(__always)
    private static func classAt(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> ScalarClass? {
        guard i < p.count else { return nil }
        let b = p[i]
        if b < 0x80 { return Scalars.asciiClass(b) }
        return Scalars.classify(decode(p, i).0)
    }

    @inline(__always)
    private mutating func push(_ byte: UInt8) {
        if scratchCount == scratchCapacity { growScratch() }
        scratch[scratchCount] = byte
        scratchCount += 1
    }

    /// Room for `count` more bytes of form.
    @inline(__always)
    private mutating func reserveScratch(_ count: Int) {
        while scratchCount + count > scratchCapacity { growScratch() }
    }

    private mutating func growScratch() {
        if scratchBorrowed {
            // The lent room stays its lender's: copied from, not freed.
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity * 2)
            grown.initialize(from: scratch, count: scratchCount)
            scratch = grown
            scratchBorrowed = false
        } else {
            scratch = scratch.moved(count: scratchCount, toCapacity: scratchCapacity * 2)
        }
        scratchCapacity *= 2
    }

    @inline(__always)
    private mutating func append(_ v: UInt32) {
        if v < 0x80 {
            push(UInt8(v))
        } else if v < 0x800 {
            push(UInt8(0xC0 | (v >> 6)))
            push(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            push(UInt8(0xE0 | (v >> 12)))
            push(UInt8(0x80 | ((v >> 6) & 0x3F)))
            push(UInt8(0x80 | (v & 0x3F)))
        } else {
            push(UInt8(0xF0 | (v >> 18)))
            push(UInt8(0x80 | ((v >> 12) & 0x3F)))
            push(UInt8(0x80 | ((v >> 6) & 0x3F)))
            push(UInt8(0x80 | (v & 0x3F)))
        }
    }

    @inline(__always)
    private mutating func appendRaw(_ range: Range<Int>) {
        for i in range { push(p[i]) }
    }

    @inline(__always)
    private mutating func emit(_ start: Int, _ end: Int, _ kind: TokenKind, _ flags: TokenFlags = Self.none) {
        // Eight bytes past the form, so that it is hashed and compared in whole 8-byte chunks.
        reserveScratch(8)
        let hash = FormTable.hash(padded: scratch, count: scratchCount)
        let id = forms.intern(padded: scratch, count: scratchCount, hash: hash)
        output.append(Token(start: start, end: end, form: id, kind: kind, flags: flags.union(output.pending)))
        output.pending = Self.none
        scratchCount = 0
    }

    /// A punctuation token whose form is 1 to 8 bytes, given as a little-endian word (zero past
    /// them): hashed and interned from the register, without `scratch`.
    @inline(__always)
    private mutating func emitShort(_ start: Int, _ end: Int, chunk: UInt64, count: Int) {
        let id = forms.intern(chunk: chunk, count: count, hash: FormTable.finish(FormTable.mixChunk(FormTable.hashSeed, chunk)))
        // A one-byte ASCII form is the form of that byte as a token of its own, whatever scalar
        // was folded to it (’ to '): `run` takes the byte from the table from now on.
        if count == 1 && chunk < 0x80 { asciiPunctuationForms[Int(chunk)] = id }
        output.append(Token(start: start, end: end, form: id, kind: .punctuation, flags: output.pending))
        output.pending = Self.none
    }

    // MARK: The pass

    private mutating func run() {
        let n = self.n
        guard n > 0, let base = p.baseAddress else { return }
        // `self.output` in a local for the loop (see `Output`): written back before the paths
        // that work through `self` and read again after them.
        var output = self.output
        let asciiPunctuationForms = self.asciiPunctuationForms
        var i = 0
        while i < n {
            // The commonest bytes of all, before any decoding: the space, and ASCII letters.
            let byte = base[i]
            if byte == 0x20 {
                output.pending.insert(.spaceBefore)
                i &+= 1
                continue
            }
            if (byte | 0x20) &- 0x61 < 26 {
                let end = scanWord(i, base, n, into: &output)
                if end >= 0 {
                    i = end
                } else {
                    self.output = output
                    i = scanWordGeneral(i)
                    output = self.output
                }
                continue
            }
            // Arabic words (`startsArabicWord`). (Tested before ASCII punctuation, not after: that
            // cost Arabic text a test per word, 1.9M instructions on SaudiNewsNet, for 0.1M on PolNeAR.)
            if startsArabicWord(at: i) {
                self.output = output
                i = scanArabicWords(i)
                output = self.output
                continue
            }
            // A one-byte punctuation token seen before in this text: its form from the table (a
            // full stop only alone: a run of them is one token).
            if byte < 0x80 {
                let form = asciiPunctuationForms[Int(byte)]
                if form >= 0 && (byte != UInt8(ascii: ".") || i &+ 1 == n || base[i &+ 1] != UInt8(ascii: ".")) {
                    output.append(Token(start: i, end: i &+ 1, form: form, kind: .punctuation, flags: output.pending))
                    output.pending = Self.none
                    i &+= 1
                    continue
                }
                if form == Self.lineFeedEntry {
                    output.pending.formUnion(Self.lineBreak)
                    i &+= 1
                    continue
                }
            }
            self.output = output
            i = scanOther(i)
            output = self.output
        }
        self.output = output
    }

    /// What `run` does not take itself: decoded and classified.
    @inline(never)
    private mutating func scanOther(_ i: Int) -> Int {
        var i = i
        let (v, length) = decode(i)
        // ASCII from the table here: `classify` is not inlined, and most tokens start with ASCII.
        switch v < 0x80 ? Scalars.asciiClass(UInt8(truncatingIfNeeded: v)) : Scalars.classify(v) {
        case .whitespace:
            output.pending.insert(.spaceBefore)
            i += length
        case .newline:
            output.pending.formUnion(Self.lineBreak)
            i += length
        case .format:
            i += length
        case .letter:
            i = scanWordGeneral(i)
        case .arabicLetter, .arabicMark:
            i = scanArabicWords(i)
        case .digit:
            i = scanNumber(i)
        case .symbol, .mark, .joiner:
            i = scanSymbol(i)
        case .period:
            // A run of full stops is one token: an ellipsis is one mark, not three sentence ends.
            var j = i + 1
            while j < n && p[j] == UInt8(ascii: ".") { j += 1 }
            if j - i <= 8 {
                emitShort(i, j, chunk: 0x2E2E_2E2E_2E2E_2E2E & FormTable.lowBytes(j - i), count: j - i)
            } else {
                appendRaw(i..<j)
                emit(i, j, .punctuation)
            }
            i = j
        case .apostrophe:
            emitShort(i, i + length, chunk: UInt64(UInt8(ascii: "'")), count: 1)
            i += length
        case .hyphen:
            emitShort(i, i + length, chunk: UInt64(UInt8(ascii: "-")), count: 1)
            i += length
        case .percent:
            append(v == 0x066A ? 0x25 : v)
            emit(i, i + length, .punctuation)
            i += length
        case .punctuation, .numberSeparator:
            if v == 0x2026 {
                emitShort(i, i + length, chunk: 0x2E2E2E, count: 3)  // … → ...
            } else {
                // Its own bytes, one to four.
                var chunk: UInt64 = 0
                for k in 0..<length { chunk |= UInt64(p[i + k]) &<< UInt64(8 * k) }
                emitShort(i, i + length, chunk: chunk, count: length)
            }
            i += length
        }
        return i
    }

    // MARK: Words

    @inline(__always)
    private static func isUpper(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        if v >= 0xC0 && v <= 0xDE { return v != 0xD7 }
        if v < 0x100 { return false }
        return isUpperOutsideLatin1(v)
    }

    /// Kept out of line: inlined, the property lookup made every word pay for setting it up.
    @inline(never)
    private static func isUpperOutsideLatin1(_ v: UInt32) -> Bool {
        Unicode.Scalar(v)?.properties.isUppercase ?? false
    }

    @inline(__always)
    private mutating func appendFolded(_ v: UInt32) {
        if v < 0x80 {
            push(v >= 0x41 && v <= 0x5A ? UInt8(v | 0x20) : UInt8(v))
        } else if v >= 0xC0 && v <= 0xDE && v != 0xD7 {
            append(v + 0x20)
        } else if v < 0x100 {
            append(v)
        } else {
            appendFoldedOutsideLatin1(v)
        }
    }

    /// Kept out of line, as `isUpperOutsideLatin1`.
    @inline(never)
    private mutating func appendFoldedOutsideLatin1(_ v: UInt32) {
        if let scalar = Unicode.Scalar(v), scalar.properties.changesWhenLowercased {
            for s in scalar.properties.lowercaseMapping.unicodeScalars { append(s.value) }
        } else {
            append(v)
        }
    }

    /// 0x80 in each byte of `chunk` that is an ASCII letter, 0 in every other byte: the test
    /// `(byte | 0x20) &- 0x61 < 26` on eight bytes at once. Bit 7 is cleared before the additions,
    /// so that no byte carries into the next; bytes that had it set are no letters.
    @inline(__always)
    static func asciiLetterBits(_ chunk: UInt64) -> UInt64 {
        let low7 = (chunk | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low7 &+ 0x1F1F_1F1F_1F1F_1F1F  // bit 7: folded byte >= 0x61
        let pastZ = low7 &+ 0x0505_0505_0505_0505  // bit 7: folded byte >= 0x7B
        return atLeastA & ~pastZ & ~chunk & 0x8080_8080_8080_8080
    }

    /// Bytes after ASCII letters that `scanWordGeneral` may go on with, as bits of a mask of
    /// the bytes below 64: apostrophe, hyphen, full stop and the digits. (With every byte of
    /// 0x80 or more — other letters, marks, joiners — they send a word to the general path.)
    private static let continuesWordBelow64: UInt64 =
        1 << 0x27 | 1 << 0x2D | 1 << 0x2E | ((1 << 10) - 1) << 0x30

    /// A word of a non-Arabic script. Most are ASCII letters ended by a space or punctuation
    /// that cannot continue a word: those are scanned eight bytes at a time, hashed as they are
    /// scanned (`FormTable.hash` mixes a whole 8-byte chunk at once), and interned straight
    /// from the text, never copied to `scratch`; the rest (and everything that starts with
    /// another letter) go to `scanWordGeneral`.
    @inline(__always)
    /// Returns where the next token may start, or -1 when the word is for `scanWordGeneral`
    /// (which `run` calls with `output` written back). `base` and `n` are the text's, from `run`'s
    /// registers.
    private mutating func scanWord(_ start: Int, _ base: UnsafePointer<UInt8>, _ n: Int,
                                   into output: inout Output) -> Int {
        var end = start
        var h = FormTable.hashSeed
        // The last chunk mixed into `h` (the whole form when it is eight letters or fewer).
        var chunk: UInt64 = 0
        // Bit 7 set in the byte of any lowercase letter: no count of capitals is needed (a
        // population count is a call-sized sequence of instructions on baseline x86-64), only
        // whether all the letters are capitals.
        var lowercase: UInt64 = 0
        var stopped = false
        while end &+ 8 <= n {
            let bytes = UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self)
            let letters = Self.asciiLetterBits(bytes)
            // Lowercase letters are the letters with bit 5 set; shifted by two, it lands on bit 7.
            let lower = letters & (bytes &<< 2)
            let stops = ~letters & 0x8080_8080_8080_8080
            if stops == 0 {
                chunk = bytes | 0x2020_2020_2020_2020
                h = FormTable.mixChunk(h, chunk)
                lowercase |= lower
                end &+= 8
                continue
            }
            let run = stops.trailingZeroBitCount &>> 3
            if run > 0 {
                let kept = FormTable.lowBytes(run)
                chunk = (bytes | 0x2020_2020_2020_2020) & kept
                h = FormTable.mixChunk(h, chunk)
                lowercase |= lower & kept
                end &+= run
            }
            stopped = true
            break
        }
        if !stopped {
            // Fewer than eight bytes left in the text: byte by byte, into one last chunk (the
            // loop above stopped at a chunk boundary of the form).
            var last: UInt64 = 0
            var shift: UInt64 = 0
            while end < n {
                let byte = base[end]
                guard (byte | 0x20) &- 0x61 < 26 else { break }
                if byte >= 0x61 { lowercase = 1 }
                last |= UInt64(byte | 0x20) &<< shift
                shift &+= 8
                end &+= 1
            }
            if shift > 0 {
                chunk = last
                h = FormTable.mixChunk(h, chunk)
            }
        }
        if end == start { return -1 }
        let run = end &- start
        // The space that usually follows, tested first: it ends the word, and `run` need not
        // take it in another turn.
        let spaceAfter = end < n && base[end] == 0x20
        if !spaceAfter && end < n {
            let b = base[end]
            if b >= 0x80 || (b < 64 && (Self.continuesWordBelow64 &>> UInt64(b)) & 1 != 0),
               !Self.wordEnds(p, at: end, afterLetters: run)
            {
                return -1
            }
        }
        let source = base + start
        var flags = output.pending
        if source[0] < 0x61 { flags.insert(.capitalized) }
        if run >= 2 && lowercase == 0 { flags.insert(.allCaps) }
        let id = run <= 8
            ? forms.intern(chunk: chunk, count: run, hash: FormTable.finish(h))
            : forms.intern(asciiWord: source, count: run, firstChunk: chunk, hash: FormTable.finish(h))
        output.append(Token(start: start, end: end, form: id, kind: .word, flags: flags))
        if spaceAfter {
            output.pending = Self.spaceBefore
            return end &+ 1
        }
        output.pending = Self.none
        return end
    }

    /// Whether `scanWordGeneral`, having taken the `run` ASCII letters before `j`, stops at `j`
    /// (then the word is those letters, which `scanWord` has interned already): the tests of its
    /// loop for the byte or scalar at `j`, read without copying a byte. Most words that stop at
    /// a byte that may go on a word stop there: a full stop after a word of two letters or more
    /// (only a single letter may begin a dotted acronym), a closing quotation mark or a dash.
    /// Static, given the text: as a method, every call copied the whole tokenizer (177 bytes,
    /// through memcpy) to pass it.
    @inline(never)
    private static func wordEnds(_ p: UnsafeBufferPointer<UInt8>, at j: Int, afterLetters run: Int) -> Bool {
        let b = p[j]
        switch b {
        case UInt8(ascii: "."):
            return run >= 2
        case UInt8(ascii: "'"):
            return classAt(p, j &+ 1) != .letter
        case UInt8(ascii: "-"):
            let next = classAt(p, j &+ 1)
            return next != .letter && next != .digit
        case 0..<0x80:
            return false  // a digit, or what `scanWordGeneral` decides
        default:
            let (v, length) = decode(p, j)
            switch Scalars.classify(v) {
            case .letter, .mark, .digit:
                return false
            case .joiner, .apostrophe:
                return classAt(p, j &+ length) != .letter
            case .hyphen:
                let next = classAt(p, j &+ length)
                return next != .letter && next != .digit
            case .period:
                return run >= 2
            default:
                return true
            }
        }
    }

    /// Copies `count` ASCII letters lowercased; returns how many of them were capitals.
    @inline(__always)
    private static func foldCopy(
        _ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>, count: Int
    ) -> Int {
        var uppers = 0
        for t in 0..<count {
            let byte = source[t]
            if byte < 0x61 { uppers += 1 }
            destination[t] = byte | 0x20
        }
        return uppers
    }

    /// A word of a non-Arabic script, in general.
    @inline(never)
    private mutating func scanWordGeneral(_ start: Int) -> Int {
        var j = start
        var letters = 0
        var uppers = 0
        var firstUpper = false
        var segmentLetters = 0  // letters since the start or the last acronym dot
        var dots = 0
        loop: while j < n {
            // ASCII letters without decoding or classifying.
            let b = p[j]
            if (b | 0x20) &- 0x61 < 26 {
                // A run of them at once, counted and copied (folded) in local variables:
                // the commonest path of all, kept out of `self` until the run ends.
                if letters == 0 { firstUpper = b < 0x61 }
                var run = 1
                // Eight bytes at a time while they are all letters, then byte by byte.
                while j &+ run &+ 8 <= n {
                    let stops = ~Self.asciiLetterBits(UnsafeRawPointer(p.baseAddress! + j + run).loadUnaligned(as: UInt64.self))
                        & 0x8080_8080_8080_8080
                    if stops != 0 {
                        run &+= stops.trailingZeroBitCount &>> 3
                        break
                    }
                    run &+= 8
                }
                while j + run < n && (p[j + run] | 0x20) &- 0x61 < 26 { run += 1 }
                reserveScratch(run)
                let source = p.baseAddress! + j
                let destination = scratch + scratchCount
                uppers += Self.foldCopy(source, into: destination, count: run)
                letters += run
                segmentLetters += run
                scratchCount += run
                j += run
                continue
            }
            // What may go on a word after its letters: other letters, marks, digits, joiners,
            // apostrophes, hyphens, dots. Any other ASCII byte ends it, without classifying.
            if b < 0x80 && b &- 0x30 >= 10 && b != UInt8(ascii: "'") && b != UInt8(ascii: "-") && b != UInt8(ascii: ".") {
                break loop
            }
            let (v, length) = decode(j)
            switch Scalars.classify(v) {
            case .letter:
                let upper = Self.isUpper(v)
                if letters == 0 { firstUpper = upper }
                if upper { uppers += 1 }
                letters += 1
                segmentLetters += 1
                appendFolded(v)
                j += length
            case .mark:
                append(v)
                j += length
            case .digit:
                append(Self.asciiDigit(v))
                segmentLetters += 2  // `A1.` is no acronym
                j += length
            case .joiner:
                guard Self.classAt(p, j + length) == .letter else { break loop }
                j += length
            case .apostrophe:
                guard Self.classAt(p, j + length) == .letter else { break loop }
                push(UInt8(ascii: "'"))
                segmentLetters = 2
                j += length
            case .hyphen:
                let next = Self.classAt(p, j + length)
                guard next == .letter || next == .digit else { break loop }
                push(UInt8(ascii: "-"))
                segmentLetters = 2
                j += length
            case .period:
                // Dotted acronyms (U.S., U.N., e.g., i.e.): single letters, each followed by a dot.
                // `J. Smith` is an initial: one letter and a dot, which the sentence splitter reads.
                guard segmentLetters == 1 else { break loop }
                let afterDot = j + 1
                if Self.classAt(p, afterDot) == .letter {
                    let (_, letterLength) = decode(afterDot)
                    guard afterDot + letterLength < n, p[afterDot + letterLength] == UInt8(ascii: ".") else { break loop }
                } else if dots == 0 {
                    break loop
                }
                push(UInt8(ascii: "."))
                dots += 1
                segmentLetters = 0
                j += 1
                if Self.classAt(p, j) != .letter { break loop }
            default:
                break loop
            }
        }
        var flags = Self.none
        if firstUpper { flags.insert(.capitalized) }
        if letters >= 2 && uppers == letters { flags.insert(.allCaps) }
        emit(start, j, .word, flags)
        return j
    }

    @inline(__always)
    private static func asciiDigit(_ v: UInt32) -> UInt32 {
        if v >= 0x0660 && v <= 0x0669 { return v - 0x0660 + 0x30 }
        if v >= 0x06F0 && v <= 0x06F9 { return v - 0x06F0 + 0x30 }
        return v
    }

    /// The normalized letter for an Arabic letter.
    @inline(__always)
    static func normalizeArabicLetter(_ v: UInt32) -> UInt32 {
        switch v {
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673: return 0x0627  // آ أ إ ٱ → ا
        case 0x0649, 0x06CC: return 0x064A  // ى ی → ي
        case 0x06A9: return 0x0643  // ک → ك
        default: return v
        }
    }

    /// The scalars U+0600–U+067F that `scanArabicWord` takes in its loop, by `(lead & 1) << 6 |
    /// (trail & 0x3F)` (which is the scalar minus U+0600 for the lead bytes D8 and D9): for a
    /// letter (U+0621–U+064A but tatweel) the low six bits of its normalized form (آ أ إ → ا,
    /// ى → ي; the lead byte does not change), else `arabicDiacritic` (U+064B–U+065F),
    /// `arabicTatweel` or `arabicStop`. A static string, as `Scalars.asciiTable`: a constant
    /// in the binary. A test checks it against `normalizeArabicLetter` and the ranges.
    static let arabicTwoByteTable: StaticString = "\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{21}\u{27}\u{27}\u{24}\u{27}\u{26}\u{27}\u{28}\u{29}\u{2A}\u{2B}\u{2C}\u{2D}\u{2E}\u{2F}\u{30}\u{31}\u{32}\u{33}\u{34}\u{35}\u{36}\u{37}\u{38}\u{39}\u{3A}\u{3B}\u{3C}\u{3D}\u{3E}\u{3F}\u{42}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\u{A}\u{A}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{41}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}\u{40}"
    static let arabicStop: UInt8 = 0x40
    static let arabicDiacritic: UInt8 = 0x41
    static let arabicTatweel: UInt8 = 0x42

    /// Whether the scalar at `i` is an Arabic letter or harakah of U+0621–U+065F, by the table
    /// `scanArabicWord` reads, without decoding and classifying it (the rest of the block goes
    /// the general way).
    @inline(__always)
    private func startsArabicWord(at i: Int) -> Bool {
        let byte = p[i]
        return byte &- 0xD8 < 2 && i &+ 1 < n
            && Self.arabicTwoByteTable.utf8Start[Int(truncatingIfNeeded: (byte & 1) &<< 6 | (p[i &+ 1] & 0x3F))]
                != Self.arabicStop
    }

    /// The Arabic word at `start` and those that follow it, each after one space (`scanArabicWord`
    /// takes it), as long as the next starts as `startsArabicWord` tells: Arabic prose, a call
    /// from `run` per sentence or clause rather than per word, with the output in a local here.
    /// (Inlined into `run`, `scanArabicWord` stayed a call per word: `run` was past the size
    /// up to which the optimizer inlines.)
    @inline(never)
    private mutating func scanArabicWords(_ start: Int) -> Int {
        sawArabic = true
        var output = self.output
        var i = start
        repeat {
            i = scanArabicWord(i, into: &output)
        } while i < n && startsArabicWord(at: i)
        self.output = output
        return i
    }

    @inline(__always)
    private mutating func scanArabicWord(_ start: Int, into output: inout Output) -> Int {
        var j = start
        var flags = Self.none
        loop: while j < n {
            // The two-byte scalars U+0600–U+067F that are letters (U+0621–U+064A, but tatweel) or
            // harakat (U+064B–U+065F), nearly every scalar of Arabic prose: decoded as `decode`
            // does and answered here, into `scratch` through a local pointer, without classifying
            // each or appending byte by byte. Room for 32 letters at a time.
            if p[j] &- 0xD8 < 2 && j + 1 < n {
                reserveScratch(64)
                var out = scratchCount
                var k = j
                // At most 32 scalars (64 bytes, as many as they write at most) and never a lead
                // byte without the byte after it: one bound for the loop.
                let kLimit = min(n &- 1, j &+ 64)
                let buffer = scratch
                let table = Self.arabicTwoByteTable.utf8Start
                while k < kLimit {
                    let b0 = p[k]
                    guard b0 &- 0xD8 < 2 else { break }
                    let b1 = p[k &+ 1]
                    // What `decode` reads: U+0600 + ((b0 & 1) << 6 | (b1 & 0x3F)).
                    let code = table[Int(truncatingIfNeeded: (b0 & 1) &<< 6 | (b1 & 0x3F))]
                    if code < 0x40 {
                        // A letter: its lead byte and the normalized low six bits.
                        buffer[out] = b0
                        buffer[out &+ 1] = 0x80 | code
                        out &+= 2
                    } else if code == Self.arabicDiacritic {
                        flags.insert(.hadDiacritics)
                    } else if code == Self.arabicTatweel {
                        flags.insert(.hadTatweel)
                    } else {
                        break
                    }
                    k &+= 2
                }
                scratchCount = out
                if k != j {
                    j = k
                    continue
                }
            }
            // ASCII ends an Arabic word: no ASCII byte is an Arabic letter, mark or joiner.
            if p[j] < 0x80 { break loop }
            let (v, length) = decode(j)
            switch Scalars.classify(v) {
            case .arabicLetter:
                append(Self.normalizeArabicLetter(v))
            case .arabicMark:
                flags.insert(v == Scalars.tatweel ? .hadTatweel : .hadDiacritics)
            case .joiner:
                // ZWNJ inside a word (Persian spelling) keeps the word whole.
                let next = Self.classAt(p, j + length)
                guard next == .arabicLetter || next == .arabicMark else { break loop }
            default:
                break loop
            }
            j += length
        }
        if scratchCount == 0 {
            // A tatweel or a diacritic standing alone: keep it visible as a symbol.
            appendRaw(start..<j)
            self.output = output
            emit(start, j, .symbol)
            output = self.output
        } else {
            // `emit`, spelled out: the compiler keeps `emit` out of line, and a call per word
            // (its arguments spilled and reloaded) cost more than hashing the form.
            reserveScratch(8)
            let hash = FormTable.hash(padded: scratch, count: scratchCount)
            let id = forms.intern(padded: scratch, count: scratchCount, hash: hash)
            output.append(Token(start: start, end: j, form: id, kind: .arabicWord, flags: flags.union(output.pending)))
            scratchCount = 0
            // The space that usually follows, taken here rather than by another turn of `run`.
            if j < n && p[j] == 0x20 {
                output.pending = Self.spaceBefore
                return j &+ 1
            }
            output.pending = Self.none
        }
        return j
    }

    // MARK: Numbers and symbols

    private mutating func scanNumber(_ start: Int) -> Int {
        var j = start
        loop: while j < n {
            let (v, length) = decode(j)
            switch Scalars.classify(v) {
            case .digit:
                append(Self.asciiDigit(v))
                j += length
            case .period, .numberSeparator:
                // Only between digits: `3.5`, `1,000`, `٣٫٥`; `2024.` ends the number.
                guard Self.classAt(p, j + length) == .digit else { break loop }
                push(v == 0x2C || v == 0x066C ? UInt8(ascii: ",") : UInt8(ascii: "."))
                j += length
            case .percent:
                append(v == 0x066A ? 0x25 : v)
                j += length
                break loop
            case .letter where v < 0x80:
                // A solid Latin suffix (1990s, 3rd, 10km) belongs to the number.
                while j < n, p[j] < 0x80, Scalars.asciiClass(p[j]) == .letter {
                    push(p[j] | 0x20)
                    j += 1
                }
                break loop
            default:
                break loop
            }
        }
        emit(start, j, .number)
        return j
    }

    /// One visible scalar with the marks, variation selectors and ZWJ-joined scalars that make it
    /// one glyph (👍🏽, 👨‍👩‍👧, 1️⃣'s keycap).
    private mutating func scanSymbol(_ start: Int) -> Int {
        var j = start + decode(start).1
        while j < n {
            let (v, length) = decode(j)
            let c = Scalars.classify(v)
            if c == .mark {
                j += length
            } else if v == 0x200D, j + length < n {
                let (next, nextLength) = decode(j + length)
                let nc = Scalars.classify(next)
                guard nc == .symbol || nc == .mark else { break }
                j += length + nextLength
            } else {
                break
            }
        }
        appendRaw(start..<j)
        emit(start, j, .symbol)
        return j
    }
}
