// swift-tools-version: 6.0
// Scholia: a language-server-style annotation backend (sources, hedging, quotations).
//
// Dependencies point one way (see ARCHITECTURE.md):
//   TextModel <- AnnotationModel <- TextEngine <- Plugins (quotations, sources, hedging)
//   CJansson <- JSON <- JSONRPC / ModuleHost / Evaluation <- Server <- ScholiaCLI
// The text and annotation core (TextModel, AnnotationModel, TextEngine) does no IO and knows no JSON.
import PackageDescription

let package = Package(
    name: "scholia",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "scholia", targets: ["ScholiaCLI"]),
        // The example native module (Plugins/examples/native-loaded-words), built as a loadable library.
        .library(name: "scholia-example-native", type: .dynamic, targets: ["ExampleNativeModule"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: JSON at the edge: jansson through a system-library target, and a Swift value over it.
        .systemLibrary(
            name: "CJansson",
            path: "Sources/CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        .target(name: "JSON", dependencies: ["CJansson"]),

        // MARK: The core: plain data, no IO, no JSON.
        .target(name: "TextModel"),
        .target(name: "AnnotationModel", dependencies: ["TextModel"]),
        .target(name: "TextEngine", dependencies: ["TextModel", "AnnotationModel"]),
        .target(name: "DocumentStore", dependencies: ["TextModel"]),
        // Markup awareness: the prose of Markdown and HTML, with a map back to the original bytes.
        .target(name: "Markup"),

        // MARK: Rule packs: the lexicon format the modules' data (and users' modules) are written in.
        // The one place JSON meets the text engine.
        .target(name: "RulePacks", dependencies: ["AnnotationModel", "TextEngine", "JSON"]),

        // MARK: The annotator modules (each folder under Plugins/ also holds its lexicons).
        .target(
            name: "SourcesModule",
            dependencies: ["AnnotationModel", "TextEngine", "RulePacks"],
            path: "Plugins/sources",
            // The packs are compiled in (PackageResources.sources_en_json): no file IO at run time.
            resources: [.embedInCode("sources.en.json"), .embedInCode("sources.ar.json")]
        ),
        .target(
            name: "QuotationsModule",
            dependencies: ["AnnotationModel", "TextEngine"],
            path: "Plugins/quotations"
        ),
        .target(
            name: "HedgingModule",
            dependencies: ["AnnotationModel", "TextEngine", "RulePacks"],
            path: "Plugins/hedging",
            // The packs are compiled into the binary (`PackageResources.hedging_en_json`): no
            // bundle and no file IO at run time.
            resources: [.embedInCode("hedging.en.json"), .embedInCode("hedging.ar.json")]
        ),

        // MARK: Custom modules: the C ABI of native modules (scholia_module.h), and the examples.
        .target(name: "ScholiaModuleABI", path: "Sources/ScholiaModuleABI"),
        .target(
            name: "ExampleNativeModule",
            dependencies: ["ScholiaModuleABI", "CJansson"],
            path: "Plugins/examples/native-loaded-words",
            exclude: ["module.json", "README.md"]
        ),

        // MARK: Edges: protocol, module hosting, evaluation, the server, the CLI.
        .target(name: "JSONRPC", dependencies: ["JSON"]),
        // The only target that loads modules from outside the binary (manifests, processes, libraries).
        .target(name: "ModuleHost", dependencies: ["AnnotationModel", "TextEngine", "JSON", "JSONRPC", "RulePacks", "ScholiaModuleABI"]),
        .target(name: "Evaluation", dependencies: ["AnnotationModel", "TextModel", "JSON"]),
        .target(
            name: "BuiltinModules",
            dependencies: ["ModuleHost", "SourcesModule", "HedgingModule", "QuotationsModule"]
        ),
        .target(
            name: "Server",
            dependencies: ["JSON", "JSONRPC", "TextModel", "AnnotationModel", "TextEngine", "DocumentStore", "ModuleHost", "Markup"]
        ),
        .executableTarget(
            name: "ScholiaCLI",
            dependencies: [
                "Server", "BuiltinModules", "ModuleHost", "Evaluation", "TextEngine", "JSON", "JSONRPC", "TextModel", "AnnotationModel", "RulePacks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Benchmarks (scripts/bench). The only target allowed Foundation's JSON codec, as a yardstick.
        .executableTarget(
            name: "scholia-bench",
            dependencies: ["BuiltinModules", "AnnotationModel", "TextEngine", "TextModel", "JSON"],
            path: "Benchmarks/ScholiaBench"
        ),

        // MARK: Tests (Swift Testing). One target per module; end-to-end tests drive the built binary.
        .target(
            name: "ScholiaTestSupport",
            dependencies: ["JSON", "JSONRPC", "TextModel", "AnnotationModel", "Server", "ModuleHost", "BuiltinModules"],
            path: "Tests/ScholiaTestSupport"
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "TextModelTests", dependencies: ["TextModel", "ScholiaTestSupport"]),
        .testTarget(name: "AnnotationModelTests", dependencies: ["AnnotationModel", "TextModel"]),
        .testTarget(name: "DocumentStoreTests", dependencies: ["DocumentStore", "TextModel", "ScholiaTestSupport"]),
        .testTarget(name: "TextEngineTests", dependencies: ["TextEngine", "TextModel", "ScholiaTestSupport"]),
        .testTarget(name: "MarkupTests", dependencies: ["Markup", "ScholiaTestSupport"]),
        .testTarget(name: "RulePacksTests", dependencies: ["RulePacks", "AnnotationModel", "TextEngine"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "JSON"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "AnnotationModel", "JSON"]),
        .testTarget(
            name: "ModuleTests",
            dependencies: ["SourcesModule", "QuotationsModule", "HedgingModule", "RulePacks", "BuiltinModules", "ModuleHost", "AnnotationModel", "TextEngine", "ScholiaTestSupport"]
        ),
        .testTarget(
            name: "ModuleHostTests",
            dependencies: ["ModuleHost", "AnnotationModel", "JSON", "JSONRPC", "Server", "BuiltinModules", "ScholiaTestSupport"]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "JSON", "JSONRPC", "BuiltinModules", "ScholiaTestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ScholiaCLI", "JSON", "JSONRPC", "ScholiaTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
