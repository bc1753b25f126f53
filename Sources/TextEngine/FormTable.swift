/// An interned vocabulary of normalized forms: each distinct byte string gets a dense integer id.
///
/// Why not `[String: Int]`: the tokenizer interns one form per token, and hashing a `String` or an
/// `[UInt8]` through `Hasher` plus allocating a key per token costs more than the rest of
/// tokenization together. Here the bytes of all forms live in one buffer, the hash is FNV-1a over
/// the bytes (computed once and kept, so another table, such as a lexicon's, can be probed with it
/// without hashing again), and probing is open addressing over a power-of-two slot array.
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

    @inline(__always)
    @usableFromInline
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes {
            h = (h ^ UInt32(b)) &* 16_777_619
        }
        return h
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
    public func find(formOf id: Int, in other: FormTable) -> Int? {
        let range = other.byteRange(id)
        return other.storage.withUnsafeBufferPointer { buffer in
            find(UnsafeBufferPointer(rebasing: buffer[range]), hash: other.hashes[id]).map(Int.init)
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
