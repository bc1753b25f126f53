/// How a predicted span must relate to a gold span to count as finding it.
public enum MatchMode: String, Sendable, CaseIterable, Hashable {
    /// Same extent, byte for byte.
    case exact
    /// At least one character in common.
    case overlap
}

/// Pairs gold and predicted spans of one kind in one document, one to one: each gold span and each
/// prediction is used at most once.
///
/// One to one matters for overlap scoring: counting every overlapping pair would let one wide
/// prediction across two gold quotes score two hits, and two fragments of one gold source score
/// two. Here the wide prediction takes one gold span and the other is a miss.
///
/// Overlap pairs are made greedily, largest overlap first. Ties go to the pair whose lengths are
/// closest (the more plausible intended match), then to document order, so the result does not
/// depend on the order the spans were given in beyond that. Greedy is not the maximum matching in
/// every case, but on span annotations (mostly disjoint spans within a kind) it almost always is,
/// and it is what a reader of the report can check by hand.
public enum Matcher {
    public static func match(gold: [LabeledSpan], predicted: [LabeledSpan], mode: MatchMode) -> [(gold: Int, predicted: Int)] {
        switch mode {
        case .exact: return exact(gold: gold, predicted: predicted)
        case .overlap: return overlap(gold: gold, predicted: predicted)
        }
    }

    static func exact(gold: [LabeledSpan], predicted: [LabeledSpan]) -> [(gold: Int, predicted: Int)] {
        var waiting: [Range<Int>: [Int]] = [:]
        for (index, span) in gold.enumerated().reversed() { waiting[span.range, default: []].append(index) }
        var pairs: [(gold: Int, predicted: Int)] = []
        for (index, span) in predicted.enumerated() {
            if let goldIndex = waiting[span.range]?.popLast() { pairs.append((goldIndex, index)) }
        }
        return pairs.sorted { $0.gold < $1.gold }
    }

    static func overlap(gold: [LabeledSpan], predicted: [LabeledSpan]) -> [(gold: Int, predicted: Int)] {
        // Predictions sorted by start, so each gold span looks only at those that can reach it.
        let order = predicted.indices.sorted { predicted[$0].range.lowerBound < predicted[$1].range.lowerBound }
        let starts = order.map { predicted[$0].range.lowerBound }
        var candidates: [(overlap: Int, sizeGap: Int, gold: Int, predicted: Int)] = []
        for (goldIndex, goldSpan) in gold.enumerated() {
            let goldRange = goldSpan.range
            // Everything starting at or after the gold end cannot overlap it.
            let limit = lowerBound(of: goldRange.upperBound, in: starts)
            for position in 0..<limit {
                let predictedIndex = order[position]
                let common = goldSpan.overlap(with: predicted[predictedIndex])
                if common > 0 {
                    candidates.append((common, abs(goldSpan.length - predicted[predictedIndex].length), goldIndex, predictedIndex))
                }
            }
        }
        candidates.sort {
            if $0.overlap != $1.overlap { return $0.overlap > $1.overlap }
            if $0.sizeGap != $1.sizeGap { return $0.sizeGap < $1.sizeGap }
            if $0.gold != $1.gold { return $0.gold < $1.gold }
            return $0.predicted < $1.predicted
        }
        var goldUsed = Set<Int>()
        var predictedUsed = Set<Int>()
        var pairs: [(gold: Int, predicted: Int)] = []
        for candidate in candidates where !goldUsed.contains(candidate.gold) && !predictedUsed.contains(candidate.predicted) {
            goldUsed.insert(candidate.gold)
            predictedUsed.insert(candidate.predicted)
            pairs.append((candidate.gold, candidate.predicted))
        }
        return pairs.sorted { $0.gold < $1.gold }
    }

    /// First index whose value is >= `value` in an ascending array.
    static func lowerBound(of value: Int, in sorted: [Int]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
