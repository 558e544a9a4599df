/// The faults ampfix knows, in fault order: a list, one line per fault (CONTRIBUTING.md). Each
/// fault's number, texts and check are declared in its own file under Faults/.
public struct FaultRegistry: Sendable {
    public static let standard = FaultRegistry([
        .scanUserUnavailable,
        .scanServiceRestarting,
        .scanServiceFailedToStart,
        .filesystemMonitor,
        .networkMonitor,
        .kernelHeadersMissing,
        .incompatibleKernel,
        .eventMonitoringOverloaded,
        .selinuxPolicyMissing,
    ])

    public let definitions: [FaultDefinition]

    /// - Precondition: each fault once, in ascending order (a programming error otherwise,
    ///   caught by the registry's tests).
    public init(_ definitions: [FaultDefinition]) {
        let ids = definitions.map(\.id)
        precondition(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "fault definitions must be unique and in ascending order: \(ids)")
        self.definitions = definitions
    }

    public var ids: [FaultID] { definitions.map(\.id) }

    public func definition(_ id: FaultID) -> FaultDefinition? { definitions.first { $0.id == id } }

    /// A fault's texts in `translation`'s language; a fault this registry does not hold gets its
    /// number as title.
    public func entry(_ id: FaultID, translation: any Translating = UntranslatedText()) -> CatalogEntry {
        definition(id)?.entry(translation) ?? CatalogEntry(id: id, title: "fault \(id)", condition: "", resolution: [], automaticRepairs: [])
    }

    public func entries(translation: any Translating = UntranslatedText()) -> [CatalogEntry] { definitions.map { $0.entry(translation) } }

    /// Whether a repair of any of `ids` can change the host (false: ampfix only explains them).
    public func repairsAny(_ ids: [FaultID]) -> Bool { ids.contains { definition($0)?.repairs ?? false } }

    /// The checks of `ids` (all faults when nil), built from the run's options and sources for
    /// the run `run`.
    public func checks(_ options: RepairOptions, sources: FaultSources, run: String, only ids: [FaultID]? = nil) -> [any FaultCheck] {
        let context = FaultContext(options: options, sources: sources, run: run)
        return definitions.filter { ids?.contains($0.id) ?? true }.map { $0.check(context) }
    }
}
