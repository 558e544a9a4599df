extension Message {
    /// A text of the fault catalog (a title, a resolution step), by its English text: that text
    /// is its message id, so it renders in any language the catalogs have.
    public static func fromFaultCatalog(_ english: String) -> Message {
        Message(id: escaping(english))
    }
}

extension Report {
    /// Every line of the report rendered again in `translation`'s language, and `language`
    /// set to the language it was rendered in.
    public mutating func render(_ translation: any Translating, language rendered: Language? = nil) {
        if let rendered { language = rendered }
        // Built in English already (the audit's common case: no second pass).
        if translation is UntranslatedText { return }
        for index in faults.indices { faults[index].render(translation) }
        if let reason = connector?.reasonMessage { connector?.reason = reason.rendered(translation) }
        recovered = recoveredMessages.map { $0.rendered(translation) }
        preflightRecordProblem = preflightRecordProblemMessage?.rendered(translation)
        acceptanceProblems = acceptanceProblemMessages?.map { $0.rendered(translation) }
    }
}
