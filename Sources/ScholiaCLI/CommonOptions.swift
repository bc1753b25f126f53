import AnnotationModel
import ArgumentParser
import TextModel

extension PositionEncoding: ExpressibleByArgument {}

/// `--language auto|en|ar`.
enum LanguageOption: String, ExpressibleByArgument, CaseIterable {
    case auto, en, ar

    var language: Language? {
        switch self {
        case .auto: return nil
        case .en: return .english
        case .ar: return .arabic
        }
    }
}

/// `--modules a,b`: a comma-separated list.
struct ModuleList: ExpressibleByArgument {
    var names: [String]
    init?(argument: String) {
        names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if names.isEmpty { return nil }
    }
}

import Foundation
