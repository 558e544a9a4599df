/// One fault as a unit: its number, what it means, whether ampfix repairs it,
/// and how its check is built. Each fault declares one in its own file
/// (`extension FaultDefinition { static let … }`) and `FaultRegistry.standard` lists it.
public struct FaultDefinition: Sendable {
    public let id: FaultID
    /// The systemd journal's MESSAGE_ID of this fault's entries (`systemd-id128 new`, made once
    /// and never changed: monitoring and packaging/ampfix.catalog key on it).
    public let journalMessageID: String
    /// Whether ampfix can change the host for this fault; false: it only explains it (a run
    /// that asks only for such faults takes no lock and creates nothing).
    public let repairs: Bool
    /// Its texts in English: each is the message id of its translations (po/LANG.po, where
    /// `scripts/po.sh extract` finds them), as every other sentence of ampfix's.
    public let english: FaultTexts
    /// Builds the fault's check for one run.
    public let check: @Sendable (FaultContext) -> any FaultCheck

    public init(id: FaultID, journalMessageID: String, repairs: Bool, english: FaultTexts,
                check: @escaping @Sendable (FaultContext) -> any FaultCheck) {
        self.id = id
        self.journalMessageID = journalMessageID
        self.repairs = repairs
        self.english = english
        self.check = check
    }

    /// Its texts in `translation`'s language (English where a text is not translated).
    public func entry(_ translation: any Translating = UntranslatedText()) -> CatalogEntry {
        func said(_ text: String) -> String { Message.fromFaultCatalog(text).rendered(translation) }
        return CatalogEntry(id: id, title: said(english.title), condition: said(english.condition), resolution: english.resolution.map(said),
                            automaticRepairs: english.automaticRepairs.map(said))
    }
}

/// A fault's texts in English (the fields of its `CatalogEntry`).
public struct FaultTexts: Sendable {
    public var title: String
    /// When the connector raises the fault.
    public var condition: String
    /// What an administrator does about it, in order.
    public var resolution: [String]
    /// The parts ampfix repairs by itself; empty when ampfix can only explain.
    public var automaticRepairs: [String]

    public init(title: String, condition: String, resolution: [String], automaticRepairs: [String]) {
        self.title = title
        self.condition = condition
        self.resolution = resolution
        self.automaticRepairs = automaticRepairs
    }
}

/// What a fault's check is built from in one run.
public struct FaultContext {
    public var options: RepairOptions
    public var sources: FaultSources
    /// The run's id: what its changes are journaled under (and fault 7's quarantine is named by).
    public var run: String
    /// The kernel the faults of kernel modules, headers and support look at, read once.
    public var kernel: KernelContext

    public init(options: RepairOptions, sources: FaultSources, run: String) {
        self.options = options
        self.sources = sources
        self.run = run
        kernel = KernelContext(options: options)
    }
}
