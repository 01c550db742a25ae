/**
 * Sigma's field taxonomy (`Image`, `CommandLine`, `QueryName`, ...) and ECS, per log source, as
 * data. The facts come from pySigma-backend-elasticsearch 2.1: its `ecs_windows` pipeline (Windows,
 * Winlogbeat 7+) and its `ecs_macos_esf` pipeline (macOS, Elastic Defend names), with two
 * deliberate differences:
 * - pySigma targets Winlogbeat's `.caseless` sub-fields (`process.executable.caseless`) because
 *   Sigma matching ignores case; siemc's IR carries case handling itself, so the ECS field is used.
 * - pySigma prefixes every unmapped Windows field with `winlog.event_data.`; siemc keeps the Sigma
 *   name (and the importer says so), so that a rule's unmapped fields stay recognisable.
 * The importer reads the forward direction, the Sigma backend (`sigma.fieldNames: 'sigma'`) the
 * reverse one.
 */
import type { FieldType } from '../ir/nodes.js';
import { fieldType } from './fields.js';

export interface SigmaLogSource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
}

/** A mapping that holds only under one log source category or service (with product windows). */
interface Scoped {
  readonly category?: string;
  readonly service?: string;
  readonly ecs: string;
}

/**
 * ecs_windows_variable_mappings. pySigma spells two categories `driver_loaded` and
 * `image_loaded`, which no Sigma rule uses; the taxonomy's `driver_load` and `image_load` are
 * listed beside them, as evidently meant.
 */
const WINDOWS_SCOPED: { readonly [sigma: string]: readonly Scoped[] } = {
  FileVersion: [{ category: 'process_creation', ecs: 'process.pe.file_version' }, { category: 'image_load', ecs: 'file.pe.file_version' }],
  Description: [
    { category: 'process_creation', ecs: 'process.pe.description' },
    { category: 'image_load', ecs: 'file.pe.description' },
    { category: 'sysmon_error', ecs: 'winlog.event_data.Description' },
  ],
  Product: [{ category: 'process_creation', ecs: 'process.pe.product' }, { category: 'image_load', ecs: 'file.pe.product' }],
  Company: [{ category: 'process_creation', ecs: 'process.pe.company' }, { category: 'image_load', ecs: 'file.pe.company' }],
  OriginalFileName: [{ category: 'process_creation', ecs: 'process.pe.original_file_name' }, { category: 'image_load', ecs: 'file.pe.original_file_name' }],
  CommandLine: [
    { category: 'process_creation', ecs: 'process.command_line' },
    { service: 'security', ecs: 'process.command_line' },
    { service: 'powershell-classic', ecs: 'powershell.command.value' },
  ],
  Protocol: [{ category: 'network_connection', ecs: 'network.transport' }],
  Initiated: [{ category: 'network_connection', ecs: 'network.direction' }],
  Signature: [
    { category: 'driver_loaded', ecs: 'file.code_signature.subject_name' },
    { category: 'image_loaded', ecs: 'file.code_signature.subject_name' },
    { category: 'driver_load', ecs: 'file.code_signature.subject_name' },
    { category: 'image_load', ecs: 'file.code_signature.subject_name' },
  ],
  EngineVersion: [{ service: 'powershell-classic', ecs: 'powershell.engine.version' }],
  HostVersion: [{ service: 'powershell-classic', ecs: 'powershell.process.executable_version' }],
  SubjectLogonId: [{ service: 'security', ecs: 'winlog.logon.id' }],
  ServiceName: [{ service: 'security', ecs: 'service.name' }],
  SubjectDomainName: [{ service: 'security', ecs: 'user.domain' }],
  SubjectUserName: [{ service: 'security', ecs: 'user.name' }],
  SubjectUserSid: [{ service: 'security', ecs: 'user.id' }],
  TargetLogonId: [{ service: 'security', ecs: 'winlog.logon.id' }],
};

/** ecs_windows_field_mapping: every Windows log source. */
const WINDOWS: { readonly [sigma: string]: string } = {
  EventID: 'event.code',
  Channel: 'winlog.channel',
  Provider_Name: 'winlog.provider_name',
  ComputerName: 'winlog.computer_name',
  FileName: 'file.path',
  ProcessGuid: 'process.entity_id',
  ProcessId: 'process.pid',
  Image: 'process.executable',
  CurrentDirectory: 'process.working_directory',
  ParentProcessGuid: 'process.parent.entity_id',
  ParentProcessId: 'process.parent.pid',
  ParentImage: 'process.parent.executable',
  ParentCommandLine: 'process.parent.command_line',
  TargetFilename: 'file.path',
  SourceIp: 'source.ip',
  SourceHostname: 'source.domain',
  SourcePort: 'source.port',
  DestinationIp: 'destination.ip',
  DestinationHostname: 'destination.domain',
  DestinationPort: 'destination.port',
  DestinationPortName: 'network.protocol',
  ImageLoaded: 'file.path',
  Signed: 'file.code_signature.signed',
  SignatureStatus: 'file.code_signature.status',
  Imphash: 'file.pe.imphash',
  SourceProcessGuid: 'process.entity_id',
  SourceProcessId: 'process.pid',
  SourceImage: 'process.executable',
  Device: 'file.path',
  SourceThreadId: 'process.thread.id',
  TargetObject: 'registry.path',
  PipeName: 'file.name',
  Destination: 'process.executable',
  QueryName: 'dns.question.name',
  QueryStatus: 'sysmon.dns.status',
  IsExecutable: 'sysmon.file.is_executable',
  Archived: 'sysmon.file.archived',
  CommandName: 'powershell.command.name',
  CommandPath: 'powershell.command.path',
  CommandType: 'powershell.command.type',
  HostApplication: 'process.command_line',
  HostId: 'process.entity_id',
  HostName: 'process.title',
  NewEngineState: 'powershell.engine.new_state',
  PipelineId: 'powershell.pipeline_id',
  PreviousEngineState: 'powershell.engine.previous_state',
  RunspaceId: 'powershell.runspace_id',
  ScriptName: 'file.path',
  SequenceNumber: 'event.sequence',
  NewProviderState: 'powershell.provider.new_state',
  ProviderName: 'powershell.provider.name',
  MessageNumber: 'powershell.sequence',
  MessageTotal: 'powershell.total',
  ScriptBlockText: 'powershell.file.script_block_text',
  ScriptBlockId: 'powershell.file.script_block_id',
  AccountDomain: 'user.domain',
  AccountName: 'user.name',
  Application: 'process.executable',
  ClientAddress: 'source.ip',
  ClientName: 'source.domain',
  DestAddress: 'destination.ip',
  DestPort: 'destination.port',
  IpAddress: 'source.ip',
  IpPort: 'source.port',
  NewProcessId: 'process.pid',
  NewProcessName: 'process.executable',
  ParentProcessName: 'process.parent.name',
  ProcessName: 'process.executable',
  SourceAddress: 'source.ip',
  TargetDomainName: 'user.domain',
  User: 'user.name',
  WorkstationName: 'source.domain',
  Payload: 'powershell.file.script_block_text',
};

/** ecs_macos_esf's process, file and network fields (Elastic Defend names). */
const MACOS: { readonly [sigma: string]: string } = {
  Image: 'process.executable',
  ProcessId: 'process.pid',
  ProcessName: 'process.name',
  CommandLine: 'process.command_line',
  CurrentDirectory: 'process.working_directory',
  ParentImage: 'process.parent.executable',
  ParentProcessId: 'process.parent.pid',
  ParentProcessName: 'process.parent.name',
  ParentCommandLine: 'process.parent.command_line',
  User: 'process.user.name',
  UserId: 'process.user.id',
  TargetFilename: 'file.path',
  FileName: 'file.name',
  DestinationIp: 'destination.ip',
  DestinationPort: 'destination.port',
  SourceIp: 'source.ip',
  SourcePort: 'source.port',
};

/**
 * Windows event log channels per Sigma service (pySigma's windows_logsource_mapping). pySigma's
 * ECS pipeline adds `winlog.channel` conditions for these services; so does the importer.
 */
export const WINDOWS_CHANNELS: { readonly [service: string]: readonly string[] } = {
  security: ['Security'],
  application: ['Application'],
  system: ['System'],
  sysmon: ['Microsoft-Windows-Sysmon/Operational'],
  powershell: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'msexchange-management': ['MSExchange Management'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  ldap_debug: ['Microsoft-Windows-LDAP-Client/Debug'],
  'security-mitigations': ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  openssh: ['OpenSSH/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
};

/**
 * Values that pySigma's ECS pipeline rewrites for a mapped field: Sysmon's `Initiated: 'true'`
 * is `network.direction: egress` in ECS.
 */
export const ECS_VALUE_REWRITES: { readonly [ecs: string]: { readonly [sigmaValue: string]: string } } = {
  'network.direction': { true: 'egress', false: 'ingress' },
};

function lower(value: string | undefined): string | undefined {
  return value?.toLowerCase();
}

/** The ECS field a Sigma field maps to under a log source, or undefined when no pipeline maps it. */
export function ecsFieldForSigma(sigma: string, source: SigmaLogSource): string | undefined {
  const product = lower(source.product);
  if (product === 'windows') {
    for (const s of WINDOWS_SCOPED[sigma] ?? []) {
      if ((s.category !== undefined && s.category === lower(source.category)) || (s.service !== undefined && s.service === lower(source.service))) return s.ecs;
    }
    return WINDOWS[sigma];
  }
  if (product === 'macos') return MACOS[sigma];
  return undefined;
}

/**
 * The Sigma field an ECS field comes from under a log source (the reverse direction), or
 * undefined. Several Sigma fields map to one ECS field (`TargetFilename`, `ImageLoaded` and
 * `FileName` are all `file.path`); the category decides, then the first in the table.
 */
export function sigmaFieldForEcs(ecs: string, source: SigmaLogSource): string | undefined {
  const product = lower(source.product) ?? 'windows';
  const category = lower(source.category);
  const preferred = PREFERRED[category ?? '']?.[ecs];
  if (preferred !== undefined && ecsFieldForSigma(preferred, { ...source, product }) === ecs) return preferred;
  const table = product === 'macos' ? MACOS : product === 'windows' ? WINDOWS : {};
  if (product === 'windows') {
    for (const [sigma, scoped] of Object.entries(WINDOWS_SCOPED)) {
      if (scoped.some((s) => s.ecs === ecs && ((s.category !== undefined && s.category === category) || (s.service !== undefined && s.service === lower(source.service))))) return sigma;
    }
  }
  return Object.entries(table).find(([sigma, e]) => e === ecs && namedIn(sigma, category, lower(source.service)))?.[0];
}

/**
 * Sysmon field names that exist only under some log source categories (SigmaHQ's taxonomy): the
 * reverse direction never names an ECS field by one of them elsewhere (`file.name` is `PipeName`
 * only for pipes). The forward direction (the importer) reads them wherever pySigma does.
 */
const ONLY_IN: { readonly [sigma: string]: readonly string[] } = {
  PipeName: ['pipe_created'],
  QueryName: ['dns_query'],
  QueryStatus: ['dns_query'],
  TargetObject: ['registry_event', 'registry_set', 'registry_add', 'registry_delete', 'registry_rename'],
  ImageLoaded: ['image_load', 'driver_load'],
  Signed: ['image_load', 'driver_load'],
  SignatureStatus: ['image_load', 'driver_load'],
  TargetFilename: ['file_event', 'file_delete', 'file_change', 'file_rename', 'file_access', 'create_stream_hash'],
  SourceImage: ['process_access', 'create_remote_thread'],
  SourceProcessGuid: ['process_access', 'create_remote_thread'],
  SourceProcessId: ['process_access', 'create_remote_thread'],
  SourceThreadId: ['process_access', 'create_remote_thread'],
  Device: ['raw_access_thread'],
  SourceIp: ['network_connection'],
  SourceHostname: ['network_connection'],
  SourcePort: ['network_connection'],
  DestinationIp: ['network_connection'],
  DestinationHostname: ['network_connection'],
  DestinationPort: ['network_connection'],
  DestinationPortName: ['network_connection'],
};

/** Security-log (4688, 4624...) and PowerShell names: only under those services. */
const SERVICE_ONLY: { readonly [sigma: string]: string } = Object.fromEntries([
  ...['AccountDomain', 'AccountName', 'Application', 'ClientAddress', 'ClientName', 'DestAddress', 'DestPort', 'IpAddress', 'IpPort', 'NewProcessId', 'NewProcessName', 'ParentProcessName', 'ProcessName', 'SourceAddress', 'TargetDomainName', 'WorkstationName'].map((n) => [n, 'security']),
  ...['HostApplication', 'HostId', 'HostName', 'CommandName', 'CommandPath', 'CommandType', 'ScriptName', 'Payload', 'ScriptBlockText', 'ScriptBlockId'].map((n) => [n, 'powershell']),
]);

/** Whether SigmaHQ's taxonomy has this Windows name under the log source (the reverse direction's test). */
export function belongsTo(sigma: string, source: SigmaLogSource): boolean {
  return namedIn(sigma, lower(source.category), lower(source.service));
}

function namedIn(sigma: string, category: string | undefined, service: string | undefined): boolean {
  const only = ONLY_IN[sigma];
  const onlyService = SERVICE_ONLY[sigma];
  if (onlyService !== undefined && !(service ?? '').startsWith(onlyService)) return false;
  return only === undefined || (category !== undefined && only.includes(category));
}

/** Which Sigma name an ECS field reads as, where several map to it, per category. */
const PREFERRED: { readonly [category: string]: { readonly [ecs: string]: string } } = {
  process_creation: { 'process.executable': 'Image', 'process.pid': 'ProcessId', 'process.command_line': 'CommandLine', 'user.name': 'User' },
  file_event: { 'file.path': 'TargetFilename', 'process.executable': 'Image', 'user.name': 'User' },
  file_delete: { 'file.path': 'TargetFilename' },
  file_change: { 'file.path': 'TargetFilename' },
  image_load: { 'file.path': 'ImageLoaded', 'process.executable': 'Image' },
  driver_load: { 'file.path': 'ImageLoaded' },
  process_access: { 'process.executable': 'SourceImage', 'process.pid': 'SourceProcessId' },
  create_remote_thread: { 'process.executable': 'SourceImage', 'process.pid': 'SourceProcessId' },
  pipe_created: { 'file.name': 'PipeName', 'process.executable': 'Image' },
  network_connection: { 'process.executable': 'Image', 'user.name': 'User' },
  dns_query: { 'process.executable': 'Image', 'user.name': 'User' },
  registry_event: { 'process.executable': 'Image' },
  registry_set: { 'process.executable': 'Image' },
  registry_add: { 'process.executable': 'Image' },
  registry_delete: { 'process.executable': 'Image' },
};

/** An ECS (or Winlogbeat) field's type: ECS's where it has one, else keyword (winlog.*, powershell.*, sysmon.* are keywords). */
export function mappedFieldType(ecs: string): FieldType {
  return fieldType(ecs) ?? 'keyword';
}
