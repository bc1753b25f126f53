/// An interned vocabulary of normalized forms: each distinct byte string gets a dense integer id.
///
/// Why not `[String: Int]`: the tokenizer interns one form per token, and hashing a `String` or an
/// `[UInt8]` through `Hasher` plus allocating a key per token costs more than the rest of
/// tokenization together. Here the bytes of all forms live in one buffer, the hash is a multiply
/// per eight bytes (`hash(_:)`; computed once and kept, so another table, such as a lexicon's, can
/// be probed with it without hashing again), and probing is open addressing over a power-of-two
/// slot array.
public struct FormTable: Sendable {
    /// The bytes of every form, one after another.
    @usableFromInline var storage: [UInt8] = []
    /// Form `i` is `storage[starts[i]..<starts[i + 1]]`.
    @usableFromInline var starts: [Int32] = [0]
    @usableFromInline var hashes: [UInt32] = []
    /// 0 for an empty slot, otherwise `hash << 32 | (id + 1)`: the hash sits in the slot so that a
    /// probe that misses costs one memory access, not one into `hashes` as well.
    @usableFromInline var slots: [UInt64]
    @usableFromInline var mask: Int

    public init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        storage.reserveCapacity(capacity * 8)
        starts.reserveCapacity(capacity + 1)
        hashes.reserveCapacity(capacity)
    }

    /// Number of distinct forms.
    public var count: Int { hashes.count }

    /// The form with id `id`, as a string.
    public func string(_ id: Int) -> String {
        String(decoding: storage[Int(starts[id])..<Int(starts[id + 1])], as: UTF8.self)
    }

    /// The bytes of form `id`.
    public func bytes(_ id: Int) -> ArraySlice<UInt8> { storage[Int(starts[id])..<Int(starts[id + 1])] }

    @inline(__always)
    func byteRange(_ id: Int) -> Range<Int> { Int(starts[id])..<Int(starts[id + 1]) }

    @inline(__always)
    func hash(ofForm id: Int) -> UInt32 { hashes[id] }

    /// The hash of a form: its bytes as little-endian 64-bit chunks (the last one zero-padded;
    /// at least one chunk, so the empty form is one zero chunk), each mixed into the state with one
    /// full-width multiply. Why not FNV-1a: it is a multiply per byte, chained; this is one per
    /// eight bytes, so a word of up to eight letters is hashed with one multiply straight from
    /// the register the tokenizer scanned it in (`mixChunk`).
    @inline(__always)
    @usableFromInline
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let count = bytes.count
        var h = hashSeed
        guard let base = bytes.baseAddress, count > 0 else { return finish(mixChunk(h, 0)) }
        var i = 0
        while i + 8 <= count {
            h = mixChunk(h, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            i += 8
        }
        if i < count {
            var last: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                last |= UInt64(base[i]) &<< shift
                shift &+= 8
                i += 1
            }
            h = mixChunk(h, last)
        }
        return finish(h)
    }

    /// `hash` of the `count` bytes at `bytes`, which may be read in whole 8-byte chunks: at
    /// least `8 - count % 8` readable bytes follow them (what the tokenizer's scratch and the
    /// builder's storage keep). The bytes past `count` are masked off, whatever they are.
    @inline(__always)
    static func hash(padded bytes: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        var h = hashSeed
        var i = 0
        while i &+ 8 <= count {
            h = mixChunk(h, UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
            i &+= 8
        }
        if i < count || count == 0 {
            let chunk = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
            h = mixChunk(h, chunk & lowBytes(count &- i))
        }
        return finish(h)
    }

    @usableFromInline static let hashSeed: UInt64 = 0x243F_6A88_85A3_08D3

    /// One chunk into the hash state: a 64 × 64 → 128-bit multiply, high half xor low half, so
    /// every bit of the chunk reaches the low bits that pick a slot.
    @inline(__always)
    @usableFromInline
    static func mixChunk(_ state: UInt64, _ chunk: UInt64) -> UInt64 {
        let product = (state ^ chunk).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return product.high ^ product.low
    }

    @inline(__always)
    @usableFromInline
    static func finish(_ state: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: state) }

    /// A mask of the low `count` bytes of a 64-bit word (`count` in 0...8).
    @inline(__always)
    static func lowBytes(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1
    }

    /// The id of `bytes`, adding it when new.
    @inline(__always)
    @usableFromInline
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32 {
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let id = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if equals(Int(id), bytes) { return id }
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        storage.append(contentsOf: bytes)
        starts.append(Int32(storage.count))
        hashes.append(hash)
        slots[slot] = UInt64(hash) << 32 | UInt64(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    public mutating func intern(_ form: String) -> Int {
        var form = form
        return form.withUTF8 { Int(intern($0, hash: Self.hash($0))) }
    }

    /// The id of `bytes`, or nil when the table does not have it.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let id = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if equals(Int(id), bytes) { return id }
            }
            slot = (slot + 1) & mask
        }
    }

    public func find(_ form: String) -> Int? {
        var form = form
        return form.withUTF8 { buffer in find(buffer, hash: Self.hash(buffer)).map(Int.init) }
    }

    /// The id in this table of form `id` of `other` (another text's, or a word list's), or nil:
    /// compared as bytes, with the hash `other` keeps, so no string is made.
    @inline(__always)
    public func find(formOf id: Int, in other: FormTable) -> Int? {
        let range = other.byteRange(id)
        return other.storage.withUnsafeBufferPointer { buffer in
            find(UnsafeBufferPointer(rebasing: buffer[range]), hash: other.hashes[id]).map(Int.init)
        }
    }

    /// A read-only view of the table over its arrays' raw buffers, for looking many forms up in a
    /// row (a lexicon binding a text's forms): `find` through the arrays pays a bounds check and
    /// an array header load per access, half the cost of a lookup that misses.
    struct Probe {
        let slots: UnsafeBufferPointer<UInt64>
        let starts: UnsafeBufferPointer<Int32>
        let storage: UnsafeBufferPointer<UInt8>
        let mask: Int

        /// The id of `bytes` (hashed as `FormTable.hash`), or -1.
        @inline(__always)
        func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32 {
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { return -1 }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    let start = Int(starts[id])
                    let length = Int(starts[id + 1]) - start
                    if length == bytes.count {
                        var i = 0
                        while i < length && storage[start + i] == bytes[i] { i += 1 }
                        if i == length { return Int32(truncatingIfNeeded: id) }
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Runs `body` with a `Probe` of this table.
    func withProbe<R>(_ body: (Probe) -> R) -> R {
        slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                storage.withUnsafeBufferPointer { storage in
                    body(Probe(slots: slots, starts: starts, storage: storage, mask: mask))
                }
            }
        }
    }

    /// Whether form `id` is all ASCII (then two forms are equal strings exactly when their bytes
    /// are equal: no canonical equivalence to allow for).
    public func isASCII(_ id: Int) -> Bool {
        let range = byteRange(id)
        return storage.withUnsafeBufferPointer { buffer in
            for index in range where buffer[index] >= 0x80 { return false }
            return true
        }
    }

    @inline(__always)
    func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[id])
        let length = Int(starts[id + 1]) - start
        guard length == bytes.count else { return false }
        return storage.withUnsafeBufferPointer { stored in
            var i = 0
            while i < length {
                if stored[start + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    mutating func grow() {
        let size = slots.count * 2
        var newSlots = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for id in 0..<hashes.count {
            var slot = Int(hashes[id]) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = UInt64(hashes[id]) << 32 | UInt64(id + 1)
        }
        slots = newSlots
        mask = newMask
    }
}

extension FormTable {
    /// What the tokenizer interns into while it runs, turned into a `FormTable` at the end.
    ///
    /// Why not intern into a `FormTable` directly: every new form appended to its three arrays
    /// (each append checking uniqueness and capacity, the bytes through the generic
    /// `append(contentsOf:)`), about 150 instructions a form, and news text brings a new form every
    /// second or third token. Here they are raw buffers the builder owns alone; `finish` copies
    /// them into arrays once.
    struct Builder {
        private var storage: UnsafeMutablePointer<UInt8>
        private var storageCount = 0
        private var storageCapacity: Int
        /// `count + 1` entries: form `i` is `storage[starts[i]..<starts[i + 1]]`.
        private var starts: UnsafeMutablePointer<Int32>
        private var hashes: UnsafeMutablePointer<UInt32>
        private(set) var count = 0
        private var capacity: Int
        /// As `FormTable.slots`. At first the uninitialized buffer of the array `finish` returns
        /// (`slotsBorrowed`), so that the table's largest array is not copied for most texts; the
        /// builder's own buffer once the slots grow.
        private var slots: UnsafeMutablePointer<UInt64>
        private var slotCount: Int
        private(set) var slotsBorrowed = true
        /// Beside each filled slot, for a form that `intern(chunk:)` added, that form as its one
        /// word (never 0: its first byte is not zero); 0 for any other form, which is then
        /// compared through `starts` and `storage`. A short form is thus found by comparing one
        /// word (a fifth of the cost of a token went to the general comparison). Forms added
        /// by `intern(padded:)` get 0, not their word: working it out cost Arabic text, whose
        /// forms come that way, more than it saved. Not zeroed: read only where the slot is filled.
        /// Borrowed, as `slots`, from the room the caller gives (right after the slots' own, in
        /// the same array: a buffer of its own was a malloc and a free per text, 2M instructions
        /// on SaudiNewsNet); the builder's own buffer once the slots grow.
        private var slotChunks: UnsafeMutablePointer<UInt64>
        private var mask: Int

        /// The slot count for about `forms` forms: a power of two, at most half full.
        static func slotCount(forms: Int) -> Int {
            var size = 16
            while size < max(forms, 16) * 2 { size <<= 1 }
            return size
        }

        /// Room for about `forms` forms and `bytes` bytes of them before anything grows; `slots`
        /// is the (uninitialized) room for `slotCount(forms: forms)` slots, which the builder
        /// zeroes and fills, and `slotChunks` room for as many words; both stay their caller's
        /// (never freed here).
        init(forms: Int, bytes: Int, slots: UnsafeMutablePointer<UInt64>, slotChunks: UnsafeMutablePointer<UInt64>) {
            capacity = max(forms, 16)
            let size = Self.slotCount(forms: forms)
            slotCount = size
            mask = size - 1
            self.slots = slots
            slots.initialize(repeating: 0, count: size)
            self.slotChunks = slotChunks
            starts = .allocate(capacity: capacity + 1)
            starts[0] = 0
            hashes = .allocate(capacity: capacity)
            storageCapacity = max(bytes, 64) + 8
            storage = .allocate(capacity: storageCapacity)
        }

        /// The id of the `length` bytes at `bytes`, adding them when new (`hash` as `FormTable.hash`).
        /// `bytes` is padded as `FormTable.hash(padded:count:)` needs: compared in 8-byte chunks.
        @inline(__always)
        mutating func intern(padded bytes: UnsafePointer<UInt8>, count length: Int, hash: UInt32) -> Int32 {
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    let start = Int(starts[id])
                    if Int(starts[id + 1]) - start == length && Self.samePadded(storage + start, bytes, length) {
                        return Int32(truncatingIfNeeded: id)
                    }
                }
                slot = (slot &+ 1) & mask
            }
            reserveStorage(length)
            // Copied in 8-byte chunks (both sides are padded), not through a call to memmove: most
            // forms are a chunk or two.
            let destination = storage + storageCount
            var i = 0
            while i < length {
                let chunk = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(destination + i).storeBytes(of: chunk, as: UInt64.self)
                i &+= 8
            }
            slotChunks[slot] = 0
            storageCount &+= length
            return add(hash: hash, slot: slot)
        }

        /// As `intern`, for a form of `length` bytes, 1 to 8, none of them zero (no form has a
        /// zero byte: U+0000 is a format character, skipped, and no other scalar's UTF-8 holds
        /// one), given as the little-endian word `chunk` (zero past the form); `hash` is its
        /// `FormTable.hash`, `finish(mixChunk(hashSeed, chunk))`. A filled slot whose
        /// `slotChunks` word is `chunk` holds this form (the word has the form's length, its
        /// count of leading nonzero bytes); one whose word is 0 may, and is compared in full.
        @inline(__always)
        mutating func intern(chunk: UInt64, count length: Int, hash: UInt32) -> Int32 {
            assert(Self.shortChunk(chunk, count: length) == chunk && chunk != 0, "not a short form's word")
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                let stored = slotChunks[slot]
                if stored == chunk {
                    return Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                }
                if stored == 0 && UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                    let start = Int(starts[id])
                    // Storage keeps 8 readable bytes past every form: one load, masked.
                    if Int(starts[id &+ 1]) &- start == length
                        && (UnsafeRawPointer(storage + start).loadUnaligned(as: UInt64.self) ^ chunk)
                            & FormTable.lowBytes(length) == 0
                    {
                        return Int32(truncatingIfNeeded: id)
                    }
                }
                slot = (slot &+ 1) & mask
            }
            reserveStorage(length)
            UnsafeMutableRawPointer(storage + storageCount).storeBytes(of: chunk, as: UInt64.self)
            slotChunks[slot] = chunk
            storageCount &+= length
            return add(hash: hash, slot: slot)
        }

        /// The word of the `length` bytes at `bytes` (8 readable bytes from `bytes`), as
        /// `slotChunks` may hold it: the bytes as a little-endian word when they are 1 to 8,
        /// none zero; else 0.
        @inline(__always)
        static func shortChunk(_ bytes: UnsafePointer<UInt8>, count length: Int) -> UInt64 {
            guard length &- 1 < 8 else { return 0 }
            return shortChunk(UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self), count: length)
        }

        /// The word of a form of `length` bytes that are the low bytes of `word`: those bytes,
        /// zero past them, or 0 when there are none, more than 8, or one of them is zero.
        @inline(__always)
        static func shortChunk(_ word: UInt64, count length: Int) -> UInt64 {
            guard length &- 1 < 8 else { return 0 }
            let kept = FormTable.lowBytes(length)
            let chunk = word & kept
            // The classic zero-byte test; its false alarms lie only above a true zero byte.
            let zeroBytes = (chunk &- 0x0101_0101_0101_0101) & ~chunk & 0x8080_8080_8080_8080 & kept
            return zeroBytes == 0 ? chunk : 0
        }

        /// As `intern`, for a word of `length` ASCII letters whose form is their lowercase, at
        /// `bytes` in the text; `firstChunk` is the form's first (up to) eight bytes as a
        /// little-endian word, zero past the form, and `hash` its `FormTable.hash`. A word of
        /// eight letters or fewer is compared and stored as that one word.
        @inline(__always)
        mutating func intern(asciiWord bytes: UnsafePointer<UInt8>, count length: Int, firstChunk: UInt64,
                             hash: UInt32) -> Int32 {
            // Letters are never zero bytes.
            if length <= 8 { return intern(chunk: firstChunk, count: length, hash: hash) }
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    let start = Int(starts[id])
                    if Int(starts[id + 1]) - start == length {
                        let stored = storage + start
                        var i = 0
                        while i < length && stored[i] == bytes[i] | 0x20 { i += 1 }
                        if i == length { return Int32(truncatingIfNeeded: id) }
                    }
                }
                slot = (slot &+ 1) & mask
            }
            reserveStorage(length)
            let destination = storage + storageCount
            for i in 0..<length { destination[i] = bytes[i] | 0x20 }
            slotChunks[slot] = 0
            storageCount &+= length
            return add(hash: hash, slot: slot)
        }

        /// Room for `length` more bytes and the 8 past them that chunked reads and stores use.
        @inline(__always)
        private mutating func reserveStorage(_ length: Int) {
            if storageCount &+ length &+ 8 > storageCapacity { growStorage(storageCount + length + 8) }
        }

        /// Whether `length` bytes at `a` and `b` are equal, compared 8 at a time (both padded).
        @inline(__always)
        private static func samePadded(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
            var i = 0
            while i + 8 <= length {
                if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
                    != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
                i += 8
            }
            guard i < length else { return true }
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
            return (x ^ y) & FormTable.lowBytes(length - i) == 0
        }

        /// Records a form whose bytes were just appended to `storage`, in the empty `slot`.
        @inline(__always)
        private mutating func add(hash: UInt32, slot: Int) -> Int32 {
            if count == capacity { growForms() }
            let id = count
            hashes[id] = hash
            starts[id &+ 1] = Int32(truncatingIfNeeded: storageCount)
            count &+= 1
            slots[slot] = UInt64(hash) << 32 | UInt64(truncatingIfNeeded: id &+ 1)
            if count &* 2 > slotCount { growSlots() }
            return Int32(truncatingIfNeeded: id)
        }

        @inline(never)
        private mutating func growStorage(_ needed: Int) {
            var bigger = storageCapacity * 2
            while bigger < needed { bigger *= 2 }
            storage = storage.moved(count: storageCount, toCapacity: bigger)
            storageCapacity = bigger
        }

        @inline(never)
        private mutating func growForms() {
            let bigger = capacity * 2
            starts = starts.moved(count: count + 1, toCapacity: bigger + 1)
            hashes = hashes.moved(count: count, toCapacity: bigger)
            capacity = bigger
        }

        @inline(never)
        private mutating func growSlots() {
            let size = slotCount * 2
            let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
            grown.initialize(repeating: 0, count: size)
            let grownChunks = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
            let newMask = size - 1
            for id in 0..<count {
                var slot = Int(hashes[id]) & newMask
                while grown[slot] != 0 { slot = (slot + 1) & newMask }
                grown[slot] = UInt64(hashes[id]) << 32 | UInt64(id + 1)
                // Its word whichever way it came (a valid entry for any form; cheap here, once per form).
                let start = Int(starts[id])
                grownChunks[slot] = Self.shortChunk(storage + start, count: Int(starts[id + 1]) - start)
            }
            if !slotsBorrowed { slotChunks.deallocate() }
            slotChunks = grownChunks
            // The borrowed room stays its array's: left, not freed.
            if !slotsBorrowed { slots.deallocate() }
            slotsBorrowed = false
            slots = grown
            slotCount = size
            mask = newMask
        }

        /// The table, with the same ids, and with `slots` as its slots array: the array whose room
        /// the builder was given, all `slotCount(forms:)` of them initialized, unless the slots grew
        /// (`slotsBorrowed` false; then `slots` is ignored and the grown slots are copied). The
        /// builder's memory is freed and it must not be used again.
        mutating func finish(slots borrowedSlots: [UInt64]) -> FormTable {
            let table = FormTable(
                storage: Array(UnsafeBufferPointer(start: storage, count: storageCount)),
                starts: Array(UnsafeBufferPointer(start: starts, count: count + 1)),
                hashes: Array(UnsafeBufferPointer(start: hashes, count: count)),
                slots: slotsBorrowed ? borrowedSlots : Array(UnsafeBufferPointer(start: slots, count: slotCount)),
                mask: mask)
            storage.deallocate()
            starts.deallocate()
            hashes.deallocate()
            if !slotsBorrowed {
                slots.deallocate()
                slotChunks.deallocate()
            }
            return table
        }
    }

    private init(storage: [UInt8], starts: [Int32], hashes: [UInt32], slots: [UInt64], mask: Int) {
        self.storage = storage
        self.starts = starts
        self.hashes = hashes
        self.slots = slots
        self.mask = mask
    }
}

extension UnsafeMutablePointer {
    /// A new buffer of `capacity` elements holding this buffer's first `count`, moved there; this
    /// buffer is freed. (How the text engine's raw buffers grow.)
    func moved(count: Int, toCapacity capacity: Int) -> UnsafeMutablePointer<Pointee> {
        let grown = UnsafeMutablePointer<Pointee>.allocate(capacity: capacity)
        grown.moveInitialize(from: self, count: count)
        deallocate()
        return grown
    }
}
