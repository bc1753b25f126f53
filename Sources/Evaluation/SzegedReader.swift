import AnnotationModel

/// Reads the Szeged Uncertainty Corpus XML (the CoNLL-2010 hedge data): `<Document>`s holding a
/// `<DocID>` and `<Sentence>`s, with uncertainty cues marked inline as `<ccue type="...">`.
///
/// Which cues are hedges follows the annotation guide: epistemic uncertainty the writer puts on a
/// claim. The corpus's types look like `speculation_hypo_doxastic _` or `speculation_modal_probable_`;
/// the last word decides. `doxastic` (believe, think), `probable` and `possible` (may, likely,
/// perhaps) are hedges; `condition` (if) and `investigation` (examine whether) are not, nor is any
/// type not listed in `hedgeTypes`. Cues that are not hedges are left out of the gold entirely: a
/// prediction on them is a false positive, as the guide says it should be.
///
/// Text: each sentence's text (everything inside `<Sentence>`, cues included, tags removed),
/// sentences joined by one newline. Text outside sentences (the DocID) is not part of the text.
public struct SzegedReader: Sendable {
    public enum Unit: String, Sendable, CaseIterable {
        /// One gold document per `<Document>` (its sentences joined by newlines).
        case document
        /// One gold document per `<Sentence>`.
        case sentence
    }

    public var unit: Unit
    public var hedgeTypes: Set<String>

    public init(unit: Unit = .document, hedgeTypes: Set<String> = ["doxastic", "probable", "possible"]) {
        self.unit = unit
        self.hedgeTypes = hedgeTypes
    }

    /// The short type of a corpus cue type: `speculation_hypo_doxastic _` → `doxastic`.
    public static func shortType(_ type: String) -> String {
        let words = type.split(whereSeparator: { $0 == "_" || $0 == " " })
        return words.last.map { String($0).lowercased() } ?? ""
    }

    public func read(bytes: [UInt8], path: String) throws(GoldError) -> [GoldDocument] {
        var parser = XMLPullParser(bytes: bytes)
        var documents: [GoldDocument] = []

        // The document being built.
        var docID: String?
        var docOrdinal = 0
        var text: [UInt8] = []
        var spans: [LabeledSpan] = []
        var sentenceStart = 0
        var sentenceID = ""
        // Open elements inside a sentence: a cue's start offset and type, nil for other elements.
        var openCues: [(start: Int, type: String?, line: Int)] = []
        var inSentence = false
        var inDocID = false
        var docIDText = ""

        func documentName() -> String {
            "\(path)#\(docID ?? String(docOrdinal))"
        }
        func flush(_ name: String) {
            documents.append(GoldDocument(
                id: name, textPath: nil, text: String(decoding: text, as: UTF8.self), language: .english, spans: spans))
            text = []
            spans = []
        }

        do {
            while let event = try parser.next() {
                switch event {
                case .start(let name, let attributes):
                    switch name {
                    case "Document":
                        docOrdinal += 1
                        docID = nil
                        text = []
                        spans = []
                    case "DocID":
                        inDocID = true
                        docIDText = ""
                    case "Sentence":
                        if inSentence { throw GoldError(file: path, line: parser.line, message: "<Sentence> inside a sentence") }
                        inSentence = true
                        if unit == .document && !text.isEmpty { text.append(0x0A) }
                        sentenceStart = text.count
                        sentenceID = attributes["id"] ?? ""
                    default:
                        if inSentence {
                            openCues.append((text.count, name == "ccue" ? attributes["type"] ?? "" : nil, parser.line))
                        }
                    }
                case .end(let name):
                    switch name {
                    case "DocID":
                        inDocID = false
                        docID = docIDText
                    case "Sentence":
                        inSentence = false
                        if unit == .sentence {
                            flush("\(documentName())#\(sentenceID.isEmpty ? String(sentenceStart) : sentenceID)")
                        }
                    case "Document":
                        if unit == .document { flush(documentName()) }
                    default:
                        guard inSentence, let cue = openCues.popLast() else { break }
                        guard let type = cue.type else { break }
                        let short = Self.shortType(type)
                        guard hedgeTypes.contains(short), cue.start < text.count else { break }
                        let range = cue.start..<text.count
                        spans.append(LabeledSpan(
                            kind: .hedge, range: range, text: substring(text, range),
                            attributes: ["type": .string(short)], origin: "\(path):\(cue.line)"))
                    }
                case .text(let chunk):
                    if inSentence {
                        text.append(contentsOf: chunk.utf8)
                    } else if inDocID {
                        docIDText += chunk
                    }
                }
            }
        } catch let failure as XMLPullParser.Failure {
            throw GoldError(file: path, line: failure.line, message: failure.message)
        } catch let error as GoldError {
            throw error
        } catch {
            throw GoldError(file: path, message: "\(error)")
        }
        // A file of bare sentences with no <Document> around them is one document.
        if unit == .document && !text.isEmpty { flush(documentName()) }
        if documents.isEmpty {
            throw GoldError(file: path, message: "no <Sentence> elements: not a Szeged uncertainty corpus file")
        }
        return documents
    }
}
