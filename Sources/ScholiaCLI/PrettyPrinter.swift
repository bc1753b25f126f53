import AnnotationModel
import TextModel

/// Shows a document with its annotated spans marked, for a person at a terminal: colours when the
/// output is a terminal, `⟦…⟧` brackets tagged with the annotation id otherwise; then a list of the
/// annotations with their positions, attributes and links.
struct PrettyPrinter {
    let lineIndex: LineIndex
    let encoding: PositionEncoding
    let useColor: Bool

    static let reset = "\u{1B}[0m"

    static func style(for kind: AnnotationKind) -> String {
        switch kind {
        case .quote: return "\u{1B}[32m"            // green
        case .source: return "\u{1B}[1;34m"         // bold blue
        case .cue: return "\u{1B}[35m"              // magenta
        case .hedge: return "\u{1B}[4;33m"          // underlined yellow
        default: return "\u{1B}[36m"                // cyan
        }
    }

    func render(path: String, language: Language, annotations: [Annotation]) -> String {
        var out = ""
        let header = "== \(path) (\(language.rawValue), \(annotations.count) annotation\(annotations.count == 1 ? "" : "s"))"
        out += useColor ? "\u{1B}[1m\(header)\(Self.reset)\n" : "\(header)\n"
        out += markedText(annotations)
        if !out.hasSuffix("\n") { out += "\n" }
        out += "\n"
        for annotation in annotations { out += listLine(annotation) + "\n" }
        out += "\n"
        return out
    }

    /// The text with each span opened and closed at its offsets. Spans nest (a hedge inside a quote);
    /// when an inner span closes, the outer one's colour comes back.
    func markedText(_ annotations: [Annotation]) -> String {
        enum Event { case open(Annotation), close(Annotation) }
        var events: [(offset: Int, order: Int, event: Event)] = []
        for annotation in annotations {
            // Closes sort before opens at one offset; longer spans open first and close last.
            events.append((annotation.start, 1_000_000 - annotation.range.count, .open(annotation)))
            events.append((annotation.end, -1_000_000 + annotation.range.count, .close(annotation)))
        }
        events.sort { ($0.offset, $0.order) < ($1.offset, $1.order) }
        let bytes = lineIndex.utf8
        var out = ""
        var position = 0
        var open: [Annotation] = []
        for (offset, _, event) in events {
            if offset > position {
                out += String(decoding: bytes[position..<offset], as: UTF8.self)
                position = offset
            }
            switch event {
            case .open(let annotation):
                open.append(annotation)
                out += useColor ? Self.style(for: annotation.kind) : "⟦\(annotation.id) "
            case .close(let annotation):
                if let index = open.lastIndex(where: { $0.id == annotation.id }) { open.remove(at: index) }
                if useColor {
                    out += Self.reset + (open.last.map { Self.style(for: $0.kind) } ?? "")
                } else {
                    out += "⟧"
                }
            }
        }
        if position < bytes.count { out += String(decoding: bytes[position...], as: UTF8.self) }
        return out
    }

    func listLine(_ annotation: Annotation) -> String {
        let range = lineIndex.range(ofUTF8: annotation.range, in: encoding)
        let where_ = "\(range.start.line + 1):\(range.start.character)-\(range.end.line + 1):\(range.end.character)"
        var parts = [annotation.id.padding(toLength: 12), where_.padding(toLength: 14), "“\(Self.shortened(annotation.text))”"]
        let attributes = annotation.attributes.keys.sorted().map { "\($0)=\(annotation.attributes[$0]!)" }
        if !attributes.isEmpty { parts.append(attributes.joined(separator: " ")) }
        let links = annotation.links.map { "\($0.rel)→\($0.target)" }
        if !links.isEmpty { parts.append(links.joined(separator: " ")) }
        let line = "  " + parts.joined(separator: "  ")
        return useColor ? Self.style(for: annotation.kind) + line + Self.reset : line
    }

    static func shortened(_ text: String, limit: Int = 60) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }
}

extension String {
    /// Pads with spaces to at least `length` characters (never truncates).
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}

/// The document profile as a short block of text for a person at a terminal.
enum ProfileText {
    static func render(_ profile: DocumentProfile) -> String {
        func rate(_ count: Int) -> String {
            let value = profile.perThousandWords(count)
            return "\((value * 10).rounded() / 10) per 1,000 words"
        }
        var lines = ["profile: \(profile.summary)"]
        lines.append("  words: \(profile.words)")
        lines.append("  sources: \(profile.sources) (\(profile.namedSources) named, \(profile.unnamedSources) unnamed), \(rate(profile.sources))")
        lines.append("  cues: \(profile.cues), \(rate(profile.cues))")
        let categories = profile.hedgesByCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("  hedges: \(profile.hedges), \(rate(profile.hedges))" + (categories.isEmpty ? "" : " (\(categories.joined(separator: ", ")))"))
        lines.append("  quotes: \(profile.quotes) (\(profile.quotesWithSpeaker) with a speaker, \(profile.quotesWithoutSpeaker) without)")
        if !profile.distinctSources.isEmpty {
            lines.append("  distinct sources:")
            for entry in profile.distinctSources {
                let named = entry.named.map { $0 ? "named" : "unnamed" } ?? "?"
                lines.append("    \(entry.text)  [\(named)\(entry.type.map { ", \($0)" } ?? "")] ×\(entry.mentions)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
