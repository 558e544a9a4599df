/// A failed SELinux library call: the operation, the object, and what the library said
/// (libsemanage's messages are captured through its callback, never printed).
public struct SELinuxError: Error, CustomStringConvertible {
    public var operation: String
    public var object: String
    public var messages: [String]

    public init(_ operation: String, _ object: String, messages: [String]) {
        self.operation = operation
        self.object = object
        self.messages = messages
    }

    public var description: String {
        "cannot \(operation) \(object)" + (messages.isEmpty ? "" : ": " + messages.joined(separator: "; "))
    }
}
