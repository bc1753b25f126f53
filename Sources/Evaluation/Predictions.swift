import AnnotationModel
import JSON
import TextModel

/// Annotations produced earlier by `scholia annotate --format jsonl` (or `--format json`), read
/// back to be scored without running the pipeline again.
///
/// Each record is `{"path", "language", "annotations": [{"kind", "start", "end", "text", ...}]}`.
/// The offsets are in the unit annotate was asked for (`--position-encoding`, utf-32 by default);
/// annotate does not write that unit into its output, so the reader is told it. Offsets are turned
/// into UTF-8 only once the record is paired with its gold document, whose text they index.
public struct PredictionRecord: Sendable {
    public var path: String
    /// Where the record was read ("preds.jsonl:3"), for errors.
    public var origin: String
    public var annotations: [JSONValue]
    /// The unit the record says its offsets count in (`scholia annotate` writes `encoding`).
    public var encoding: PositionEncoding?

    /// The predictions as spans over `text`. Each `text` member present must equal the span, which
    /// catches predictions made on another version of the text or in another unit.
    /// `encoding` is used only when the record does not name its own.
    public func spans(over text: String, encoding fallback: PositionEncoding) throws(GoldError) -> [LabeledSpan] {
        let encoding = self.encoding ?? fallback
        let index = LineIndex(text)
        var spans: [LabeledSpan] = []
        var rangeByID: [String: Range<Int>] = [:]
        var speakerLinks: [(span: Int, target: String, number: Int)] = []
        for (number, item) in annotations.enumerated() {
            func fail(_ message: String) -> GoldError {
                GoldError(file: origin, message: "\(path): annotations[\(number)]: \(message)")
            }
            guard let kind = item["kind"]?.stringValue else { throw fail("no kind") }
            guard let start = item["start"]?.intValue, let end = item["end"]?.intValue else { throw fail("no integer start and end") }
            guard let low = index.utf8Offset(from: start, in: encoding), let high = index.utf8Offset(from: end, in: encoding), low < high else {
                throw fail("span \(start)-\(end) does not fit the gold text in \(encoding.rawValue) units")
            }
            let actual = String(decoding: index.utf8[low..<high], as: UTF8.self)
            if let given = item["text"]?.stringValue, given != actual {
                throw fail("text '\(given)' differs from the gold text's '\(actual)' at \(start)-\(end)")
            }
            var attributes: [String: AttributeValue] = [:]
            if case .object(let object)? = item["attributes"] {
                for (name, value) in object { if let converted = JSONGoldReader.attribute(value) { attributes[name] = converted } }
            }
            if let id = item["id"]?.stringValue { rangeByID[id] = low..<high }
            if case .object(let object) = item,
               let target = try JSONGoldReader.speakerTarget(of: object, at: "annotations[\(number)]", fail: { member, message in
                   GoldError(file: origin, message: "\(path): \(member): \(message)")
               }) {
                speakerLinks.append((spans.count, target, number))
            }
            spans.append(LabeledSpan(kind: AnnotationKind(kind), range: low..<high, text: actual, attributes: attributes))
        }
        for link in speakerLinks {
            guard let range = rangeByID[link.target] else {
                throw GoldError(file: origin, message: "\(path): annotations[\(link.number)]: speaker \(link.target) is no annotation of this record")
            }
            spans[link.span].speaker = [range]
        }
        return spans
    }

    /// Reads JSON lines, or one JSON value (an object, or an array of objects) holding the records.
    public static func read(bytes: [UInt8], path: String) throws(GoldError) -> [PredictionRecord] {
        var values: [(JSONValue, String)] = []
        if let whole = try? JSONParser().parse(bytes) {
            if case .array(let items) = whole {
                values = items.enumerated().map { ($1, "\(path): [\($0)]") }
            } else {
                values = [(whole, path)]
            }
        } else {
            var lineNumber = 0
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                do {
                    values.append((try JSONParser().parse(line), "\(path):\(lineNumber)"))
                } catch {
                    throw GoldError(file: path, line: lineNumber, message: "invalid JSON: \(error.message)")
                }
            }
        }
        var records: [PredictionRecord] = []
        for (value, origin) in values {
            guard let recordPath = value["path"]?.stringValue else { throw GoldError(file: origin, message: "record has no \"path\"") }
            guard let annotations = value["annotations"]?.arrayValue else {
                throw GoldError(file: origin, message: "record has no \"annotations\" array")
            }
            var encoding: PositionEncoding?
            if let name = value["encoding"]?.stringValue {
                guard let known = PositionEncoding(rawValue: name) else {
                    throw GoldError(file: origin, message: "unknown encoding '\(name)' (expected utf-8, utf-16 or utf-32)")
                }
                encoding = known
            }
            records.append(PredictionRecord(path: recordPath, origin: origin, annotations: annotations, encoding: encoding))
        }
        return records
    }
}
