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
        var result: PipelineResult
        /// The view's byte range that was annotated again.
        var window: Range<Int>
    }

    let oldView: [UInt8]
    let oldParagraphs: [Range<Int>]
    /// The previous run's annotations, in view offsets.
    let oldAnnotations: [Annotation]
    let newView: [UInt8]
    let newParagraphs: [Range<Int>]

    /// Runs the pipeline on the window (through `annotate`, given the window's text) and merges;
    /// nil when the incremental result cannot be trusted (the caller then runs in full) or when
    /// `annotate` returns nil (cancelled).
    func run(_ annotate: (String) -> PipelineResult?) -> Outcome? {
        let oldCount = oldParagraphs.count, newCount = newParagraphs.count
        guard oldCount > 0, newCount > 0 else { return nil }
        var prefix = 0
        while prefix < min(oldCount, newCount) && oldParagraphs[prefix] == newParagraphs[prefix]
            && Paragraphs.bytesEqual(oldView, oldParagraphs[prefix], newView, newParagraphs[prefix])
        {
            prefix += 1
        }
        let delta = newView.count - oldView.count
        var suffix = 0
        while suffix < min(oldCount, newCount) - prefix {
            let old = oldParagraphs[oldCount - 1 - suffix], new = newParagraphs[newCount - 1 - suffix]
            guard new.lowerBound - old.lowerBound == delta, Paragraphs.bytesEqual(oldView, old, newView, new) else { break }
            suffix += 1
        }
        if prefix == oldCount && prefix == newCount && delta == 0 && Paragraphs.bytesEqual(oldView, oldView.indices, newView, newView.indices) {
            // Nothing changed in the prose (an edit inside masked markup): the old result stands.
            return Outcome(annotations: oldAnnotations, result: PipelineResult(), window: 0..<0)
        }
        if prefix == 0 && suffix == 0 { return nil }
        // Window: the changed paragraphs and one guard on each side (in new and old numbering).
        let low = max(prefix - 1, 0)
        let newHigh = min(newCount - suffix + 1, newCount)
        let oldHigh = min(oldCount - suffix + 1, oldCount)
        guard low < newHigh, low < oldHigh else { return nil }
        let window = newParagraphs[low].lowerBound..<newParagraphs[newHigh - 1].upperBound
        let oldWindow = oldParagraphs[low].lowerBound..<oldParagraphs[oldHigh - 1].upperBound

        // 3a. Nothing old may cross the window's edges, by span or by link.
        let inside = Set(oldAnnotations.filter { oldWindow.contains($0.start) }.map(\.id))
        for annotation in oldAnnotations {
            let crosses = (annotation.start < oldWindow.lowerBound && annotation.end > oldWindow.lowerBound)
                || (annotation.start < oldWindow.upperBound && annotation.end > oldWindow.upperBound)
            if crosses { return nil }
            if !annotation.links.isEmpty {
                let isInside = inside.contains(annotation.id)
                if annotation.links.contains(where: { inside.contains($0.target) != isInside }) { return nil }
            }
        }

        let text = String(decoding: newView[window], as: UTF8.self)
        guard let result = annotate(text) else { return nil }
        let fresh = result.annotations.map { annotation -> Annotation in
            var moved = annotation
            moved.range = (annotation.start + window.lowerBound)..<(annotation.end + window.lowerBound)
            return moved
        }

        // 3b. The guards must have come out as they were.
        if low < prefix {
            if signature(of: oldAnnotations, in: oldParagraphs[low]) != signature(of: fresh, in: newParagraphs[low]) { return nil }
        }
        if newHigh > newCount - suffix {
            if signature(of: oldAnnotations, in: oldParagraphs[oldHigh - 1])
                != signature(of: fresh, in: newParagraphs[newHigh - 1])
            {
                return nil
            }
        }

        // 4. Merge under distinct ids, then number everything in document order.
        var merged: [Annotation] = []
        merged.reserveCapacity(oldAnnotations.count + fresh.count)
        // In document order (before, window, after), so `finalize` need not sort.
        // Old ids (`kind-N`, unique) stay; the window's get a prefix no numbered id has, so the two
        // never collide (renaming every old annotation would cost a copy of each per keystroke).
        for annotation in oldAnnotations where annotation.start < oldWindow.lowerBound {
            merged.append(annotation)
        }
        for annotation in fresh { merged.append(renamed(annotation, prefix: "\u{0}new:")) }
        for annotation in oldAnnotations where annotation.start >= oldWindow.upperBound {
            var kept = annotation
            kept.range = (annotation.start + delta)..<(annotation.end + delta)
            merged.append(kept)
        }

        // Old and fresh are each finalized, and their starts lie on either side of the window's
        // edges, so no two share module, kind and span: no duplicates to look for.
        return Outcome(annotations: AnnotationPipeline.finalize(merged, distinct: true), result: result, window: window)
    }

    private func renamed(_ annotation: Annotation, prefix: String) -> Annotation {
        var copy = annotation
        copy.id = prefix + annotation.id
        copy.links = annotation.links.map { AnnotationLink(rel: $0.rel, target: prefix + $0.target) }
        return copy
    }

    /// What a paragraph holds, relative to its start: spans, attributes and links (a link to a span
    /// in the same paragraph by its place, to one elsewhere only by its kind).
    private func signature(of annotations: [Annotation], in paragraph: Range<Int>) -> Set<String> {
        let here = annotations.filter { paragraph.contains($0.start) }
        // Only the link targets are looked up: one pass over the rest, no index of the whole document.
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
