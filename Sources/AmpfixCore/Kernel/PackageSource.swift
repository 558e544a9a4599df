/// How ampfix gets at the package database: opened on first use (it can cost a few hundred
/// milliseconds) and shared by the faults that need it.
public final class PackageSource {
    private let open: () -> Result<any PackageDatabase, any Error>
    private var opened: Result<any PackageDatabase, any Error>?

    public init(_ open: @escaping () -> Result<any PackageDatabase, any Error>) {
        self.open = open
    }

    public var database: Result<any PackageDatabase, any Error> {
        if let opened { return opened }
        let result = open()
        opened = result
        return result
    }

    public static func unavailable(_ reason: Message) -> PackageSource {
        struct Unavailable: Error, CustomStringConvertible, MessageConvertible {
            var message: Message
            var description: String { message.description }
        }
        return PackageSource { .failure(Unavailable(message: reason)) }
    }
}
