/// What the running connector said of itself (`ampcli status`) and its installed version.
public struct ConnectorReport: Codable, Sendable, Equatable {
    public struct Raised: Codable, Sendable, Equatable {
        public var id: Int
        public var severity: String?
        public var text: String?

        public init(id: Int, severity: String? = nil, text: String? = nil) {
            self.id = id
            self.severity = severity
            self.text = text
        }
    }

    public enum Reading: String, Codable, Sendable {
        /// A status was read.
        case read
        /// Nobody to ask.
        case unavailable
        /// Asked, no usable answer.
        case failed
    }

    public var reading: Reading
    /// The command that was run.
    public var command: String?
    /// Why it is unavailable or failed, or what was odd about a status that was read
    /// (`reasonMessage` in the report's language).
    public var reason: String?
    /// Its `Status:` and `Mode:` lines.
    public var status: String?
    public var mode: String?
    /// From /opt/cisco/amp/etc/global.xml.
    public var version: String?
    /// The faults it raises (empty also when it does not say; see `FaultReport.raisedByConnector`).
    public var raised: [Raised]
    /// ampfix.report/2: `reason` as a message.
    public var reasonMessage: Message?
    /// ampfix.report/3: the status counts more faults than it names (`Faults: 3 Critical`
    /// without their ids): `raised` is then not the whole list.
    public var faultListDisagrees: Bool?

    public init(reading: Reading, command: String? = nil, reason: Message?, status: String? = nil, mode: String? = nil, version: String?, raised: [Raised],
                faultListDisagrees: Bool? = nil) {
        self.faultListDisagrees = faultListDisagrees
        self.reading = reading
        self.command = command
        self.reason = reason?.description
        self.reasonMessage = reason
        self.status = status
        self.mode = mode
        self.version = version
        self.raised = raised
    }
}
