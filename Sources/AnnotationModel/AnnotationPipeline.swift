/// Runs a set of annotators over one text and merges what they return into one result.
///
/// This is where a failing or misbehaving module is contained: a module that throws loses its
/// output for this call and every other module's annotations still arrive; an annotation with a
/// span outside the text, off a character boundary, or of a kind its module did not declare is
/// dropped with a reason. The merged result is sorted by position and numbered (`quote-1`,
/// `source-3`): links between annotations are rewritten to the final ids, and links to annotations
/// that are not in the result (a disabled module's) are dropped.
public struct AnnotationPipeline: Sendable {
    /// The annotators in the order they run: every module after the modules it reads.
    public let annotators: [any Annotator]
    /// Their descriptors, in the same order, read once: asking each annotator for its descriptor
    /// built (and dropped) a copy of it per module and run. Annotators are stateless, their
    /// descriptors constant (the order above was computed from them).
    private let descriptors: [ModuleDescriptor]

    /// True when every module promises paragraph-local output, so an edit may be re-annotated
    /// paragraph by paragraph.
    public var isParagraphLocal: Bool { annotators.allSatisfy { $0.descriptor.scope == .paragraph } }

    public init(annotators: [any Annotator]) {
        self.annotators = Self.ordered(annotators)
        self.descriptors = self.annotators.map(\.descriptor)
    }

    public var moduleNames: [String] { annotators.map(\.descriptor.name) }

    /// Annotates `text`. `modules` limits the run to those module names (nil: all that handle
    /// the language); `moduleOptions` gives each module (by name) its `AnnotationRequest.options`.
    public func run(
        text: String, language: Language, modules: Set<String>? = nil,
        moduleOptions: [String: [String: [String]]] = [:],
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) -> PipelineResult {
        let utf8 = Array(text.utf8)
        var result = PipelineResult()
        var collected: [Annotation] = []
        let shared = SharedAnalyses()
        for position in annotators.indices {
            let name = descriptors[position].name
            if let modules, !modules.contains(name) { continue }
            guard descriptors[position].handles(language) else { continue }
            if isCancelled() {
                result.cancelled = true
                return result
            }
            var produced: [Annotation]
            do {
                // The request (which shares `collected` as its `prior`) ends with the call, so
                // appending below does not copy every annotation collected so far.
                produced = try Self.call(
                    annotators[position], AnnotationRequest(
                        text: text, utf8: utf8, utf8IsText: true, language: language, prior: collected,
                        options: moduleOptions[name] ?? [:], shared: shared, isCancelled: isCancelled))
            } catch {
                result.failures.append(ModuleFailure(module: name, message: "\(error)"))
                continue
            }
            // Checked and completed in place; the kept ones move to the front.
            var kept = 0
            for index in produced.indices {
                if let reason = Self.problem(range: produced[index].range, kind: produced[index].kind, in: utf8,
                                             declaredKinds: descriptors[position].kinds) {
                    result.dropped.append(DroppedAnnotation(module: name, id: produced[index].id, reason: reason))
                    continue
                }
                produced[index].module = name
                let range = produced[index].range
                if !Self.hasText(produced[index].text, utf8: utf8, range: range) {
                    produced[index].text = String(decoding: utf8[range], as: UTF8.self)
                }
                if kept != index { produced.swapAt(kept, index) }
                kept += 1
            }
            if kept < produced.count { produced.removeSubrange(kept...) }
            if collected.isEmpty {
                collected = produced
            } else {
                Self.move(&produced, to: &collected)
            }
        }
        if isCancelled() { result.cancelled = true }
        result.annotations = Self.finalize(consume collected)
        return result
    }

    /// Appends `source`'s annotations to `destination` in order, leaving `source` empty.
    /// Moved, not copied: `append(contentsOf:)` copied each annotation (about six retains) and
    /// freeing `source` then released them all again. `removeLast` hands the last element over
    /// without a copy, so the source is reversed first, through its buffer (a swap there moves
    /// bits; `Array.reverse` copied each annotation it swapped).
    static func move(_ source: inout [Annotation], to destination: inout [Annotation]) {
        let count = source.count
        destination.reserveCapacity(destination.count + count)
        source.withUnsafeMutableBufferPointer { items in items.reverse() }
        for _ in 0..<count { destination.append(source.removeLast()) }
    }

    @inline(never)
    private static func call(_ annotator: any Annotator, _ request: consuming AnnotationRequest) throws -> [Annotation] {
        try annotator.annotate(request)
    }

    /// Whether `text` is already exactly the document's bytes in `range` (what a module usually
    /// gives), so that no new string need be made.
    private static func hasText(_ text: String, utf8: [UInt8], range: Range<Int>) -> Bool {
        guard text.utf8.count == range.count else { return false }
        return text.utf8.withContiguousStorageIfAvailable { given in
            utf8.withUnsafeBufferPointer { document in
                // Eight bytes at a time: quotations run to hundreds of bytes, and a byte loop
                // over every annotation's text was a percent of the pipeline.
                let count = given.count
                guard let givenBase = given.baseAddress, let documentBase = document.baseAddress else { return count == 0 }
                let a = UnsafeRawPointer(givenBase)
                let b = UnsafeRawPointer(documentBase + range.lowerBound)
                var offset = 0
                while offset + 8 <= count {
                    if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                        != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    {
                        return false
                    }
                    offset += 8
                }
                while offset < count {
                    if a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) {
                        return false
                    }
                    offset += 1
                }
                return true
            }
        } ?? false
    }

    // MARK: Validation

    static func problem(with annotation: Annotation, in utf8: [UInt8], declaredKinds: Set<AnnotationKind>) -> String? {
        problem(range: annotation.range, kind: annotation.kind, in: utf8,
                declaredKinds: declaredKinds.map { KindDescriptor(kind: $0) })
    }

    /// Why an annotation of `kind` over `range` is refused, or nil. `declaredKinds`: a module
    /// declares a few, so a list is searched (no hashing of kind names per annotation).
    static func problem(range: Range<Int>, kind: AnnotationKind, in utf8: [UInt8], declaredKinds: [KindDescriptor]) -> String? {
        if range.lowerBound < 0 || range.upperBound > utf8.count {
            return "span \(range.lowerBound)..<\(range.upperBound) lies outside the text (\(utf8.count) bytes)"
        }
        if range.isEmpty { return "empty span at \(range.lowerBound)" }
        if !isBoundary(range.lowerBound, in: utf8) || !isBoundary(range.upperBound, in: utf8) {
            return "span \(range.lowerBound)..<\(range.upperBound) does not fall on character boundaries"
        }
        if !declaredKinds.isEmpty && !declaredKinds.contains(where: { $0.kind == kind }) {
            return "kind '\(kind)' is not one the module declares"
        }
        return nil
    }

    private static func isBoundary(_ offset: Int, in utf8: [UInt8]) -> Bool {
        offset == utf8.count || utf8[offset] & 0xC0 != 0x80
    }

    // MARK: Ordering and numbering

    /// Sorts by position, drops exact repeats, numbers per kind and rewrites links.
    /// `distinct`: the caller knows no two annotations share module, kind and span (merged results
    /// that were each finalized), so repeats are not looked for.
    public static func finalize(_ annotations: consuming [Annotation], distinct: Bool = false) -> [Annotation] {
        var unique = annotations
        var kept = unique.count
        // Sorted, thinned and renamed in place through the buffer: reading an annotation (or its
        // links) out of the array copied it, about six retains an annotation.
        unique.withUnsafeMutableBufferPointer { items in
            putInOrder(items)
            if !distinct { kept = moveRepeatsBack(items) }
            renumber(UnsafeMutableBufferPointer(rebasing: items[..<kept]))
        }
        if kept < unique.count { unique.removeSubrange(kept...) }
        return unique
    }

    /// The result order: by start, the longer span first, then by kind and module; annotations
    /// tied on all four keep their order.
    @inline(__always)
    private static func precedes(_ a: Int, _ b: Int, in items: UnsafeMutableBufferPointer<Annotation>) -> Bool {
        let first = items[a].range
        let second = items[b].range
        if first.lowerBound != second.lowerBound { return first.lowerBound < second.lowerBound }
        if first.upperBound != second.upperBound { return first.upperBound > second.upperBound }
        if items[a].kind != items[b].kind { return items[a].kind < items[b].kind }
        return items[a].module < items[b].module
    }

    private static func putInOrder(_ items: UnsafeMutableBufferPointer<Annotation>) {
        // Merged incremental results usually come in order already: checking is linear.
        var index = 1
        while index < items.count && !precedes(index, index - 1, in: items) { index += 1 }
        guard index < items.count, let base = items.baseAddress else { return }
        // Positions are sorted, not the annotations: an annotation is a 96-byte struct, and a
        // merge sort moved each one at every level. Ties fall back on the position, so the order
        // is the stable one.
        var order = Array(0..<items.count)
        order.sort { a, b in
            let first = items[a].range
            let second = items[b].range
            if first.lowerBound != second.lowerBound { return first.lowerBound < second.lowerBound }
            if first.upperBound != second.upperBound { return first.upperBound > second.upperBound }
            if items[a].kind != items[b].kind { return items[a].kind < items[b].kind }
            if items[a].module != items[b].module { return items[a].module < items[b].module }
            return a < b
        }
        // Then each annotation is moved once, along the cycles of the permutation: `order[i]` is
        // the position of the annotation that belongs at i; a placed position is marked as its own.
        for start in order.indices where order[start] != start {
            let held = (base + start).move()
            var hole = start
            while true {
                let source = order[hole]
                order[hole] = hole
                if source == start {
                    (base + hole).initialize(to: held)
                    break
                }
                (base + hole).moveInitialize(from: base + source, count: 1)
                hole = source
            }
        }
    }

    /// Moves exact repeats (same module, kind and span) behind the annotations kept, and returns
    /// how many are kept. Repeats are exactly what the order leaves tied, and it is stable: each
    /// lands right after the first of its kind, which is the one kept. Sorting first finds them
    /// without hashing anything.
    private static func moveRepeatsBack(_ items: UnsafeMutableBufferPointer<Annotation>) -> Int {
        guard items.count > 1 else { return items.count }
        var kept = 1
        for index in 1..<items.count {
            let previous = kept - 1
            if items[index].range == items[previous].range && items[index].kind == items[previous].kind
                && items[index].module == items[previous].module
            {
                continue
            }
            if kept != index { items.swapAt(kept, index) }
            kept += 1
        }
        return kept
    }

    /// Numbers the annotations per kind (`quote-1`, `source-2`, ...) and points each link at its
    /// target's new id; links to an id not in `items` are dropped.
    private static func renumber(_ items: UnsafeMutableBufferPointer<Annotation>) {
        var linkCount = 0
        for index in items.indices { linkCount += items[index].links.count }
        // Only ids that links point at need to be looked up under their new name. Each link's
        // target is looked up once, here: `targetOfLink` keeps its index, in link order. Without
        // links (most results of short texts) nothing is allocated: an empty table has no slots.
        var targets = IDTable()
        var targetOfLink: [Int32] = []
        if linkCount > 0 {
            targets = IDTable(minimumCapacity: linkCount)
            targetOfLink.reserveCapacity(linkCount)
            for index in items.indices {
                for k in 0..<items[index].links.count {
                    targetOfLink.append(Int32(truncatingIfNeeded: targets.insert(items[index].links[k].target)))
                }
            }
        }
        // The position of the annotation that carried each target id (-1: none). The first to
        // carry an id keeps the links when two share one.
        var carrier = [Int32](repeating: -1, count: targets.count)
        // Once every target has its carrier, later ids need not be looked up: a later carrier
        // of the same id would not be taken anyway.
        var targetsWithoutCarrier = targets.count
        // A result has a handful of kinds: a list searched in order beats hashing each kind's
        // name. Consecutive annotations often share a kind: the last one's slot is tried first.
        var counters: [(kind: AnnotationKind, count: Int)] = []
        var lastSlot = -1
        for index in items.indices {
            var slot = lastSlot
            if slot < 0 || counters[slot].kind != items[index].kind {
                slot = 0
                while slot < counters.count && counters[slot].kind != items[index].kind { slot += 1 }
                if slot == counters.count {
                    // Room for four at once: growing from empty allocated twice a result.
                    if counters.isEmpty { counters.reserveCapacity(4) }
                    counters.append((items[index].kind, 0))
                }
            }
            lastSlot = slot
            counters[slot].count += 1
            let newID = IDText.make(counters[slot].kind.rawValue, UInt8(ascii: "-"), counters[slot].count)
            if targetsWithoutCarrier > 0, let target = targets.find(items[index].id), carrier[target] < 0 {
                carrier[target] = Int32(truncatingIfNeeded: index)
                targetsWithoutCarrier -= 1
            }
            items[index].id = newID
        }
        guard linkCount > 0 else { return }
        var link = 0
        for index in items.indices where !items[index].links.isEmpty {
            // Rewritten in place (a new array per annotation cost more than the lookups); links
            // whose target is not in the result are dropped after, in order.
            var dropped = 0
            for k in 0..<items[index].links.count {
                let holder = Int(carrier[Int(targetOfLink[link])])
                link += 1
                if holder >= 0 {
                    let newTarget = items[holder].id
                    items[index].links[k].target = newTarget
                } else {
                    dropped += 1
                    items[index].links[k].target = ""
                }
            }
            if dropped > 0 { items[index].links.removeAll { $0.target.isEmpty } }
        }
    }

    /// A stable topological order: each module after those in its `runsAfter`; modules that do not
    /// depend on one another keep the order they were given in. Names not present are ignored; a
    /// cycle is broken by the given order.
    static func ordered(_ annotators: [any Annotator]) -> [any Annotator] {
        let names = Set(annotators.map(\.descriptor.name))
        var placed = Set<String>()
        var result: [any Annotator] = []
        var remaining = annotators
        while !remaining.isEmpty {
            if let index = remaining.firstIndex(where: { annotator in
                annotator.descriptor.runsAfter.allSatisfy { !names.contains($0) || placed.contains($0) }
            }) {
                let next = remaining.remove(at: index)
                placed.insert(next.descriptor.name)
                result.append(next)
            } else {
                let next = remaining.removeFirst()
                placed.insert(next.descriptor.name)
                result.append(next)
            }
        }
        return result
    }
}

/// The merged output of one pipeline run.
public struct PipelineResult: Sendable {
    public var annotations: [Annotation] = []
    /// Modules that threw; their annotations are missing from this result.
    public var failures: [ModuleFailure] = []
    /// Annotations refused by validation.
    public var dropped: [DroppedAnnotation] = []
    /// The run was cancelled; the annotations are incomplete and should not be published.
    public var cancelled = false

    public init() {}
}

public struct ModuleFailure: Sendable, Hashable {
    public var module: String
    public var message: String
    public init(module: String, message: String) {
        self.module = module
        self.message = message
    }
}

public struct DroppedAnnotation: Sendable, Hashable {
    public var module: String
    public var id: String
    public var reason: String
    public init(module: String, id: String, reason: String) {
        self.module = module
        self.id = id
        self.reason = reason
    }
}

/// A set of ids, each given a dense index: open addressing over a hash of the UTF-8 bytes read
/// eight at a time, which for ids of a dozen bytes costs a fraction of `Hasher` (finalizing a
/// result looks every annotation's id up).
public struct IDTable: Sendable {
    public private(set) var keys: [String] = []
    /// 0 for an empty slot, else the id's hash in the high 32 bits and its index + 1 in the low
    /// 32: a probe compares hashes without reading a second array (and there is one allocation
    /// less to make and free per table). None until the first id is inserted: an empty table
    /// costs no allocation.
    private var slots: [UInt64] = []

    public init() {}

    /// Room for `count` ids before the slots grow (each growth rehashes every id so far).
    public init(minimumCapacity count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        keys.reserveCapacity(count)
    }

    @inline(__always)
    private static func entry(hash: UInt32, index: Int) -> UInt64 {
        UInt64(hash) << 32 | UInt64(truncatingIfNeeded: index + 1)
    }

    @inline(__always)
    private static func hash(of entry: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: entry >> 32) }

    @inline(__always)
    private static func index(of entry: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: entry)) - 1 }

    public var count: Int { keys.count }

    @inline(__always)
    private static func hash(_ id: String) -> UInt32 { UInt32(truncatingIfNeeded: idHash(id)) }

    /// The hash of an annotation id, also used by the quotations module's index of prior ids:
    /// eight bytes at a time, each word folded in by a multiply (ids are a dozen or two bytes: a
    /// byte-at-a-time FNV-1a was most of a lookup). The last word is the id's last eight bytes,
    /// overlapping the one before; ids shorter than eight bytes are read byte by byte. Read in
    /// place where the string's storage allows (`withUTF8` wanted a mutable copy of the id).
    @inlinable @inline(__always)
    public static func idHash(_ id: String) -> UInt64 {
        @inline(__always) func mix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            let count = bytes.count
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
            @inline(__always) func add(_ word: UInt64) {
                h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 29
            }
            guard let base = bytes.baseAddress else { return h }
            if count < 8 {
                var word: UInt64 = 0
                for index in 0..<count { word |= UInt64(base[index]) << (8 * index) }
                add(word)
            } else {
                let raw = UnsafeRawPointer(base)
                var offset = 0
                while offset + 8 < count {
                    add(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    offset += 8
                }
                add(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            }
            return h ^ (h >> 32)
        }
        if let h = id.utf8.withContiguousStorageIfAvailable(mix) { return h }
        return Array(id.utf8).withUnsafeBufferPointer(mix)
    }

    /// The index of `id`, or nil.
    public func find(_ id: String) -> Int? {
        guard !keys.isEmpty else { return nil }
        let h = Self.hash(id)
        let mask = slots.count - 1
        var slot = Int(h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if Self.hash(of: entry) == h && keys[Self.index(of: entry)] == id { return Self.index(of: entry) }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `id` unless present, and returns its index (`count - 1` when it was new).
    @discardableResult
    public mutating func insert(_ id: String) -> Int {
        if slots.isEmpty { slots = [UInt64](repeating: 0, count: 16) }
        let h = Self.hash(id)
        var mask = slots.count - 1
        var slot = Int(h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if Self.hash(of: entry) == h && keys[Self.index(of: entry)] == id { return Self.index(of: entry) }
            slot = (slot + 1) & mask
        }
        keys.append(id)
        slots[slot] = Self.entry(hash: h, index: keys.count - 1)
        if keys.count * 2 > slots.count {
            // Rehashed from the slots themselves: each entry carries its hash.
            var bigger = [UInt64](repeating: 0, count: slots.count * 2)
            mask = bigger.count - 1
            for entry in slots where entry != 0 {
                var s = Int(Self.hash(of: entry)) & mask
                while bigger[s] != 0 { s = (s + 1) & mask }
                bigger[s] = entry
            }
            slots = bigger
        }
        return keys.count - 1
    }
}
