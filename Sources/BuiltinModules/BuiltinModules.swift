import AnnotationModel
import ModuleHost

/// The one place that knows the concrete built-in modules (the server and the module host never
/// import them), as sourcekit-lsp registers its language services.
public enum BuiltinModules {
    /// The built-in annotators, in registration order.
    public static func annotators() -> [any Annotator] {
        // Filled as the modules land: quotations, sources, hedging.
        []
    }

    /// A pipeline over every built-in module.
    public static func pipeline() -> AnnotationPipeline {
        AnnotationPipeline(annotators: annotators())
    }
}
