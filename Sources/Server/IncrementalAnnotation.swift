import AnnotationModel
import TextEngine

/// Re-annotates only the paragraphs an edit touched, reusing the rest of the previous result.
///
/// The approach, in the prose view's coordinates (paragraphs are the view's lines of text):
/// 1. Paragraphs equal in place and bytes at the start (prefix) and equal bytes, all moved by the
///    same distance, at the end (suffix) are unchanged; what lies between changed.
/// 2. The pipeline runs on a window of the changed paragraphs plus one neighbour on each side, so
///    links between a changed paragraph and its neighbours (a quote and the speaker named in the
///    next paragraph) are found again.
/// 3. The result is used only if it provably agrees with a full run at the window's edges:
///    - no old annotation crosses an edge of the window and no old link joins the inside to the
///      outside (else something outside may depend on what changed);
///    - the neighbours (the guards) got the same annotations as before, links included, so the
///      change did not reach past them.
///    Otherwise, and when the language changes, it falls back to annotating everything.
/// 4. Old annotations before the window are kept, those after it are shifted, the window's are
///    added, and the pipeline's `finalize` numbers them all in document order, as a full run would.
struct IncrementalAnnotation {
    struct Outcome {
        var annotations: [Annotation]
        /// Who links to whom in `annotations`.
        var links: LinkSpans
        /// The old annotations below `prefix` are the first ones, unchanged; from `after` on the
        /// annotations are the old ones after the window, moved (ids changed if `renumbered`).
        var kept: (prefix: Int, after: Int, renumbered: Bool)? = nil
        var result: PipelineResult
        /// The view's byte range that was annotated again.
        var window: Range<Int>
    }

    let oldView: [UInt8]
    let oldParagraphs: [Range<Int>]
    /// The previous run's annotations, in view offsets. A successful merge takes them (changes
    /// their array in place when no one else holds it); after a nil run they are still here
    /// unless the merge had begun.
    var oldAnnotations: [Annotation]
    let newView: [UInt8]
    let newParagraphs: [Range<Int>]
    /// The links of `oldAnnotations`, when the caller kept them (else worked out here).
    var oldLinks: LinkSpans? = nil
    /// `Paragraphs.commonEnds(oldView, newView)`, when the caller has it: paragraphs inside the
    /// common ends are known to be equal without comparing their bytes.
    var commonEnds: (prefix: Int, suffix: Int)? = nil

    /// Runs the pipeline on the window (through `annotate`, given the window's text) and merges;
    /// nil when the incremental result cannot be trusted (the caller then runs in full) or when
    /// `annotate` returns nil (cancelled).
    mutating func run(_ annotate: (String) -> PipelineResult?) -> Outcome? {
        let oldCount = oldParagraphs.count, newCount = newParagraphs.count
        guard oldCount > 0, newCount > 0 else { return nil }
        // Bytes known to be equal at either end (none known: every paragraph is compared).
        let sameStart = commonEnds?.prefix ?? 0, sameEnd = oldView.count - (commonEnds?.suffix ?? 0)
        var prefix = 0
        while prefix < min(oldCount, newCount) && oldParagraphs[prefix] == newParagraphs[prefix]
            && (oldParagraphs[prefix].upperBound <= sameStart
                || Paragraphs.bytesEqual(oldView, oldParagraphs[prefix], newView, newParagraphs[prefix]))
        {
            prefix += 1
        }
        let delta = newView.count - oldView.count
        var suffix = 0
        while suffix < min(oldCount, newCount) - prefix {
            let old = oldParagraphs[oldCount - 1 - suffix], new = newParagraphs[newCount - 1 - suffix]
            guard new.lowerBound - old.lowerBound == delta,
                old.lowerBound >= sameEnd || Paragraphs.bytesEqual(oldView, old, newView, new)
            else { break }
            suffix += 1
        }
        if prefix == oldCount && prefix == newCount && delta == 0
            && (commonEnds.map { $0.prefix == oldView.count }
                ?? Paragraphs.bytesEqual(oldView, oldView.indices, newView, newView.indices))
        {
            // Nothing changed in the prose (an edit inside masked markup): the old result stands.
            return Outcome(
                annotations: oldAnnotations, links: oldLinks ?? LinkSpans(oldAnnotations), result: PipelineResult(),
                window: 0..<0)
        }
        if prefix == 0 && suffix == 0 { return nil }
        // Window: the changed paragraphs and one guard on each side (in new and old numbering).
        let low = max(prefix - 1, 0)
        let newHigh = min(newCount - suffix + 1, newCount)
        let oldHigh = min(oldCount - suffix + 1, oldCount)
        guard low < newHigh, low < oldHigh else { return nil }
        let window = newParagraphs[low].lowerBound..<newParagraphs[newHigh - 1].upperBound
        let oldWindow = oldParagraphs[low].lowerBound..<oldParagraphs[oldHigh - 1].upperBound

        // 3a. Nothing old may cross the window's edges, by span or by link. Old annotations are in
        // document order: those before the window must end by its start, those in it by its end,
        // and those in it be linked only among themselves.
        let insideLow = LinkSpans.firstIndex(in: oldAnnotations, startingAtOrAfter: oldWindow.lowerBound)
        let insideHigh = LinkSpans.firstIndex(in: oldAnnotations, startingAtOrAfter: oldWindow.upperBound)
        let crosses = oldAnnotations.withUnsafeBufferPointer { old -> Bool in
            for i in 0..<insideLow where old[i].range.upperBound > oldWindow.lowerBound { return true }
            for i in insideLow..<insideHigh where old[i].range.upperBound > oldWindow.upperBound { return true }
            return false
        }
        if crosses { return nil }
        let oldLinks = self.oldLinks ?? LinkSpans(oldAnnotations)
        for i in insideLow..<insideHigh
        where Int(oldLinks.low[i]) < insideLow || Int(oldLinks.high[i]) >= insideHigh {
            return nil
        }

        let text = String(decoding: newView[window], as: UTF8.self)
        guard let result = annotate(text) else { return nil }
        var fresh = result.annotations
        for i in fresh.indices {
            fresh[i].range = (fresh[i].start + window.lowerBound)..<(fresh[i].end + window.lowerBound)
        }

        // 3b. The guards must have come out as they were.
        // A copy (a few annotations), not a slice: the merge below must be the only holder of the
        // old array to change it in place.
        let oldInside = Array(oldAnnotations[insideLow..<insideHigh])
        if low < prefix {
            if signature(of: oldInside[...], in: oldParagraphs[low]) != signature(of: fresh[...], in: newParagraphs[low]) {
                return nil
            }
        }
        if newHigh > newCount - suffix {
            if signature(of: oldInside[...], in: oldParagraphs[oldHigh - 1])
                != signature(of: fresh[...], in: newParagraphs[newHigh - 1])
            {
                return nil
            }
        }

        // 4. Merge in document order (before, window, after: their starts lie on either side of
        // the window's edges, so no sort), numbered as `AnnotationPipeline.finalize` numbers a
        // whole result: per kind in document order. The annotations before the window keep their
        // ids; the window's continue each kind's count; those after it keep theirs unless the
        // window holds a different number of their kind, and links follow the renumbering.
        let freshLinks = LinkSpans(fresh)
        var counters: [AnnotationKind: Int] = [:]
        var kindsSeen = Set<AnnotationKind>()
        var insideCounts: [AnnotationKind: Int] = [:]
        for annotation in fresh { kindsSeen.insert(annotation.kind) }
        for annotation in oldInside {
            kindsSeen.insert(annotation.kind)
            insideCounts[annotation.kind, default: 0] += 1
        }
        // Each kind's count before the window: the number in the last id of that kind before it.
        var missing = kindsSeen
        var index = insideLow - 1
        while !missing.isEmpty && index >= 0 {
            let kind = oldAnnotations[index].kind
            if missing.remove(kind) != nil {
                guard let number = Self.number(in: oldAnnotations[index].id, kind: kind) else { return nil }
                counters[kind] = number
            }
            index -= 1
        }
        var renamed: [String: String] = [:]
        for i in fresh.indices {
            let number = (counters[fresh[i].kind] ?? 0) + 1
            counters[fresh[i].kind] = number
            let id = "\(fresh[i].kind.rawValue)-\(number)"
            renamed[fresh[i].id] = id
            fresh[i].id = id
        }
        for i in fresh.indices where !fresh[i].links.isEmpty {
            fresh[i].links = fresh[i].links.map { AnnotationLink(rel: $0.rel, target: renamed[$0.target] ?? $0.target) }
        }
        var shifts: [AnnotationKind: Int] = [:]
        for kind in kindsSeen {
            let shift = fresh.lazy.filter { $0.kind == kind }.count - (insideCounts[kind] ?? 0)
            if shift != 0 { shifts[kind] = shift }
        }

        // The old array, changed in place: when the caller handed it over (no one else holds it),
        // no copy of every annotation and no destruction of the old array. The annotations after
        // the window are moved and (when the window holds a different number of their kind)
        // renumbered in one pass.
        var merged = oldAnnotations
        oldAnnotations = []
        merged.replaceSubrange(insideLow..<insideHigh, with: fresh)
        let afterStart = insideLow + fresh.count
        // Few kinds shift, if any: their names compared, not hashed per annotation.
        let shifted = shifts.map { (kind: $0.key, shift: $0.value) }
        let renumbered = merged.withUnsafeMutableBufferPointer { merged -> Bool in
            guard delta != 0 || !shifted.isEmpty else { return true }
            for i in afterStart..<merged.count {
                if delta != 0 { merged[i].range = (merged[i].start + delta)..<(merged[i].end + delta) }
                if !shifted.isEmpty, let k = shifted.firstIndex(where: { $0.kind.rawValue == merged[i].kind.rawValue }) {
                    guard let number = Self.number(in: merged[i].id, kind: merged[i].kind) else { return false }
                    merged[i].id = "\(merged[i].kind.rawValue)-\(number + shifted[k].shift)"
                }
            }
            return true
        }
        if !renumbered { return nil }
        let links = oldLinks.replacing(insideLow..<insideHigh, with: freshLinks)
        if !shifts.isEmpty {
            // Links to renumbered annotations (from anywhere outside the window) follow them.
            for i in merged.indices where !merged[i].links.isEmpty && (i < insideLow || i >= afterStart) {
                let targets = Int(links.targetStarts[i])..<Int(links.targetStarts[i + 1])
                guard targets.contains(where: { links.targets[$0] >= Int32(afterStart) }) else { continue }
                var rewritten = merged[i].links
                for (k, t) in targets.enumerated() where links.targets[t] >= 0 {
                    rewritten[k].target = merged[Int(links.targets[t])].id
                }
                merged[i].links = rewritten
            }
        }
        return Outcome(
            annotations: merged, links: links, kept: (insideLow, afterStart, !shifts.isEmpty), result: result,
            window: window)
    }

    /// N of an id `kind-N`; nil when the id is not numbered so.
    static func number(in id: String, kind: AnnotationKind) -> Int? {
        let prefix = kind.rawValue.utf8
        let utf8 = id.utf8
        guard utf8.count > prefix.count + 1, utf8.starts(with: prefix) else { return nil }
        var rest = utf8.dropFirst(prefix.count)
        guard rest.first == UInt8(ascii: "-") else { return nil }
        rest = rest.dropFirst()
        var number = 0
        for byte in rest {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), number < Int.max / 20 else { return nil }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return number
    }

    /// What a paragraph holds, relative to its start: spans, attributes and links (a link to a span
    /// in the same paragraph by its place, to one elsewhere only by its kind).
    /// `annotations` are in document order and hold every annotation the paragraph's link to.
    private func signature(of annotations: ArraySlice<Annotation>, in paragraph: Range<Int>) -> Set<String> {
        var first = annotations.startIndex
        while first < annotations.endIndex && annotations[first].start < paragraph.lowerBound { first += 1 }
        var last = first
        while last < annotations.endIndex && annotations[last].start < paragraph.upperBound { last += 1 }
        let here = annotations[first..<last]
        // Only the link targets are looked up.
        let wanted = Set(here.flatMap { $0.links.map(\.target) })
        var byID: [String: Annotation] = [:]
        if !wanted.isEmpty {
            for annotation in annotations where wanted.contains(annotation.id) && byID[annotation.id] == nil {
                byID[annotation.id] = annotation
            }
        }
        return Set(here.map { annotation in
            let links = annotation.links.map { link -> String in
                guard let target = byID[link.target] else { return "\(link.rel)>?" }
                if paragraph.contains(target.start) {
                    return "\(link.rel)>\(target.start - paragraph.lowerBound)-\(target.end - paragraph.lowerBound)"
                }
                return "\(link.rel)>\(target.kind.rawValue)@elsewhere"
            }.sorted()
            let attributes = annotation.attributes.keys.sorted().map { "\($0)=\(annotation.attributes[$0]!)" }
            return "\(annotation.module)|\(annotation.kind.rawValue)|\(annotation.start - paragraph.lowerBound)|"
                + "\(annotation.end - paragraph.lowerBound)|\(attributes)|\(links)"
        })
    }
}
