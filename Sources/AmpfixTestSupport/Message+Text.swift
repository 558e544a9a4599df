import AmpfixCore

/// Assertions read a message as the English sentence a report shows.
extension Message {
    public func contains(_ text: String) -> Bool { description.contains(text) }
    public func hasPrefix(_ text: String) -> Bool { description.hasPrefix(text) }
    public func hasSuffix(_ text: String) -> Bool { description.hasSuffix(text) }
}

extension Finding {
    /// The evidence and the steps as the English lines a report shows.
    public var evidenceText: [String] { evidence.map(\.description) }
    public var stepsText: [String] { manualSteps.map(\.description) }
}

extension ChangeState {
    /// `.other`'s reason as the English sentence, nil for before and after.
    public var otherText: String? {
        if case .other(let now) = self { return now.description }
        return nil
    }
}

/// A message compares with the English sentence it renders to, in assertions.
public func == (message: Message?, text: String) -> Bool { message?.description == text }
