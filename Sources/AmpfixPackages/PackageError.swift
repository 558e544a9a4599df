/// A package library call that failed: the operation, the object, the library's message.
public struct PackageError: Error, CustomStringConvertible {
    public var operation: String
    public var object: String
    public var message: String

    public init(_ operation: String, _ object: String, _ message: String) {
        self.operation = operation
        self.object = object
        self.message = message
    }

    public var description: String { "cannot \(operation) \(object): \(message)" }
}
