import AnnotationModel

/// Who is linked to whom, by index in a finalized result (ids `kind-N`, numbered per kind in
/// document order): for each annotation the lowest and highest index among itself and the
/// annotations it is linked to either way, and its links' targets as indices. Built without
/// hashing every id: a target `kind-N` is the N-th annotation of its kind, checked by its id.
struct LinkSpans: Sendable, Equatable {
    var low: [Int32]
    var high: [Int32]
    /// The targets of annotation `i`'s links are `targets[targetStarts[i]..<targetStarts[i + 1]]`
    /// (-1: a target not in the result).
    var targetStarts: [Int32]
    var targets: [Int32]

    init(_ annotations: [Annotation]) {
        let count = annotations.count
        low = (0..<Int32(count)).map { $0 }
        high = low
        targetStarts = []
        targets = []
        var anyLinks = false
        for index in annotations.indices where !annotations[index].links.isEmpty {
            anyLinks = true
            break
        }
        guard anyLinks else {
            targetStarts = [Int32](repeating: 0, count: count + 1)
            return
        }
        var kinds: [String] = []
        var members: [[Int32]] = []
        for index in annotations.indices {
            let kind = annotations[index].kind.rawValue
            var k = 0
            while k < kinds.count && kinds[k] != kind { k += 1 }
            if k == kinds.count {
                kinds.append(kind)
                members.append([])
            }
            members[k].append(Int32(index))
        }
        var byID: [String: Int32]? = nil
        func resolve(_ target: String) -> Int32 {
            var number = 0
            var digits = 0
            var kindLength = -1
            for byte in target.utf8.reversed() {
                if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && kindLength < 0 && digits < 9 {
                    digits += 1
                    continue
                }
                if byte == UInt8(ascii: "-") && digits > 0 { kindLength = target.utf8.count - digits - 1 }
                break
            }
            if kindLength > 0 {
                for byte in target.utf8.suffix(digits) { number = number * 10 + Int(byte - UInt8(ascii: "0")) }
                for k in kinds.indices where kinds[k].utf8.count == kindLength
                    && kinds[k].utf8.elementsEqual(target.utf8.prefix(kindLength))
                {
                    if number >= 1 && number <= members[k].count {
                        let candidate = members[k][number - 1]
                        if annotations[Int(candidate)].id == target { return candidate }
                    }
                    break
                }
            }
            // Not numbered as `finalize` numbers: look it up (the first annotation with the id).
            if byID == nil {
                var table: [String: Int32] = [:]
                for index in annotations.indices where table[annotations[index].id] == nil {
                    table[annotations[index].id] = Int32(index)
                }
                byID = table
            }
            return byID![target] ?? -1
        }
        targetStarts.reserveCapacity(count + 1)
        for index in annotations.indices {
            targetStarts.append(Int32(targets.count))
            let links = annotations[index].links
            if links.isEmpty { continue }
            for link in links {
                let target = resolve(link.target)
                targets.append(target)
                if target < 0 {
                    // Unknown: never reused.
                    low[index] = 0
                    high[index] = Int32(count - 1)
                    continue
                }
                let t = Int(target)
                low[index] = min(low[index], target)
                high[index] = max(high[index], target)
                low[t] = min(low[t], Int32(index))
                high[t] = max(high[t], Int32(index))
            }
        }
        targetStarts.append(Int32(targets.count))
    }

    var count: Int { low.count }

    /// True when annotation `index`'s links lead to the annotations `other`'s links led to in
    /// `other`'s result, `shift` places on.
    func sameTargets(_ index: Int, as otherIndex: Int, in other: LinkSpans, shift: Int) -> Bool {
        let a = Int(targetStarts[index])..<Int(targetStarts[index + 1])
        let b = Int(other.targetStarts[otherIndex])..<Int(other.targetStarts[otherIndex + 1])
        guard a.count == b.count else { return false }
        var k = b.lowerBound
        for t in a {
            if targets[t] < 0 || other.targets[k] < 0 || Int(targets[t]) != Int(other.targets[k]) + shift { return false }
            k += 1
        }
        return true
    }

    /// The spans after `old`'s annotations `removed` were replaced by annotations whose spans are
    /// `inserted` (indices counted from the first of them). Nothing outside `removed` may be
    /// linked to anything inside it (the incremental run checks that before merging).
    func replacing(_ removed: Range<Int>, with inserted: LinkSpans) -> LinkSpans {
        let shift = Int32(inserted.count - removed.count)
        let lo = Int32(removed.lowerBound), hi = Int32(removed.upperBound)
        func moved(_ index: Int32) -> Int32 { index >= hi ? index + shift : index }
        var result = LinkSpans(low: [], high: [], targetStarts: [], targets: [])
        let count = self.count + Int(shift)
        result.low.reserveCapacity(count)
        result.high.reserveCapacity(count)
        result.targetStarts.reserveCapacity(count + 1)
        for i in 0..<removed.lowerBound {
            result.low.append(low[i])
            result.high.append(moved(high[i]))
        }
        for i in 0..<inserted.count {
            result.low.append(inserted.low[i] + lo)
            result.high.append(inserted.high[i] + lo)
        }
        for i in removed.upperBound..<self.count {
            result.low.append(moved(low[i]))
            result.high.append(high[i] + shift)
        }
        let beforeTargets = Int(targetStarts[removed.lowerBound])
        let afterTargets = Int(targetStarts[removed.upperBound])
        result.targetStarts.append(contentsOf: targetStarts[0..<removed.lowerBound])
        for i in 0..<inserted.count { result.targetStarts.append(inserted.targetStarts[i] + Int32(beforeTargets)) }
        let targetShift = Int32(beforeTargets + inserted.targets.count - afterTargets)
        for i in removed.upperBound...self.count { result.targetStarts.append(targetStarts[i] + targetShift) }
        result.targets.reserveCapacity(targets.count + Int(targetShift))
        for t in targets[0..<beforeTargets] { result.targets.append(t < 0 ? t : moved(t)) }
        for t in inserted.targets { result.targets.append(t < 0 ? t : t + lo) }
        for t in targets[afterTargets...] { result.targets.append(t < 0 ? t : moved(t)) }
        return result
    }

    init(low: [Int32], high: [Int32], targetStarts: [Int32], targets: [Int32]) {
        self.low = low
        self.high = high
        self.targetStarts = targetStarts
        self.targets = targets
    }

    /// The index of the first annotation of `annotations` (sorted by start) that starts at or after `offset`.
    static func firstIndex(in annotations: [Annotation], startingAtOrAfter offset: Int) -> Int {
        var low = 0, high = annotations.count
        while low < high {
            let middle = (low + high) / 2
            if annotations[middle].start < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
