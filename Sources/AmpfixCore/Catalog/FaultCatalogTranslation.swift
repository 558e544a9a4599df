/// The fault catalog's own texts (a fault's resolution steps, written in English and Chinese in
/// the seeds, not in po/) in the catalog's language, and every other message from `rest`
/// (gettext). A next step taken from the catalog is the message `Message.fromFaultCatalog`: its
/// English text is its id, so it renders like any message and a fleet groups by it.
public struct FaultCatalogTranslation: Translating {
    let texts: [String: String]
    let rest: any Translating

    public init(registry: FaultRegistry, language: Language, then rest: any Translating) {
        var texts: [String: String] = [:]
        if language != .en {
            for (english, translated) in zip(registry.entries(language: .en), registry.entries(language: language)) {
                for (step, text) in zip(english.resolution, translated.resolution) {
                    texts[Message.escaping(step)] = Message.escaping(text)
                }
            }
        }
        self.texts = texts
        self.rest = rest
    }

    public func text(_ message: String) -> String { texts[message] ?? rest.text(message) }
    public func text(_ singular: String, _ plural: String, count: Int) -> String { rest.text(singular, plural, count: count) }
}

extension Message {
    /// A step of the fault catalog's resolution, by its English text.
    public static func fromFaultCatalog(_ english: String) -> Message {
        Message(id: escaping(english))
    }
}

extension Report {
    /// Every finding's evidence and steps rendered again in `translation`'s language (the fault
    /// catalog's steps in the report's catalog language).
    public mutating func render(_ translation: any Translating, registry: FaultRegistry = .standard) {
        // Built in English already (the audit's common case: no second pass).
        if language == .en, translation is UntranslatedText { return }
        let all = FaultCatalogTranslation(registry: registry, language: language, then: translation)
        for index in faults.indices { faults[index].render(all) }
        if let reason = connector?.reasonMessage { connector?.reason = reason.rendered(all) }
        recovered = recoveredMessages.map { $0.rendered(all) }
    }
}
