import AnnotationModel
import HedgingModule
import ModuleHost
import QuotationsModule
import SourcesModule

/// The one place that knows the concrete built-in modules (the server and the module host never
/// import them), as sourcekit-lsp registers its language services.
public enum BuiltinModules {
    /// The built-in annotators, in registration order.
    public static func annotators() -> [any Annotator] {
        // Sources run before quotations (quotations link to their speakers through `runsAfter`);
        // hedging depends on nothing. Quotations stay last.
        [SourcesAnnotator(), HedgingAnnotator(), QuotationsAnnotator()]
    }

    /// A pipeline over every built-in module.
    public static func pipeline() -> AnnotationPipeline {
        AnnotationPipeline(annotators: annotators())
    }
}
