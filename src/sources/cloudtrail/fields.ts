/**
 * The fields of Falco's cloudtrail plugin (reference §1.2), registered under
 * their Falco / Stratoshark names. Each `extract` takes the parsed CloudTrail
 * record (the table's `raw` column); the loader materializes the common ones
 * as columns and the rest stay lazy. Deviations from the plugin are listed in
 * doc/cloudtrail.md ("Differences from Falco's cloudtrail plugin").
 */
import { isIP } from 'node:net';
import { registerFields } from '../../fields/registry.js';
import type { FieldDef, FieldType, Value } from '../../fields/types.js';
import { ctInfo, shortSource } from './info.js';
import { compactJson, getBoolStr, getJson, getPath, getStr, strGetter } from './json-get.js';
import { ctReadOnly } from './readonly.js';
import { ec2ImageIds, ec2ImageIdsValue, ec2Name, s3Bytes, s3BytesIn, s3BytesOut, s3Count, s3Uri } from './s3-ec2.js';
import { ctOriginalUser, ctUser } from './user.js';

export const CLOUDTRAIL_SOURCE = 'aws_cloudtrail';

type Extract = (rec: any, arg?: string) => Value;

function def(
  name: string,
  display: string,
  description: string,
  extract: Extract,
  type: FieldType = 'string',
  extra: Partial<FieldDef> = {},
): FieldDef {
  return { name, type, display, description, source: CLOUDTRAIL_SOURCE, extract, ...extra };
}

/** A plain string field read with GetStringBytes semantics at `path`. */
function str(name: string, display: string, path: string[], description: string, extra: Partial<FieldDef> = {}): FieldDef {
  return def(name, display, description, strGetter(path), 'string', extra);
}

/** Object-valued members: a string is kept as is, anything else is serialized (the plugin gives ""). */
function jsonOrString(rec: unknown, key: string): string | null {
  const v = getPath(rec, key);
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : compactJson(v);
}

/** `ct.resources`: each element of `resources[]` as JSON, joined with ",". */
function ctResources(rec: unknown): string | null {
  const v = getPath(rec, 'resources');
  if (!Array.isArray(v) || v.length === 0) return null;
  return v.map(compactJson).join(',');
}

function srcipFamily(rec: unknown, family: 4 | 6): string | null {
  const ip = getStr(rec, 'sourceIPAddress');
  return ip !== null && isIP(ip) === family ? ip : null;
}

const req = (k: string) => ['requestParameters', k];

export const cloudtrailFields: readonly FieldDef[] = [
  str('ct.id', 'Event ID', ['eventID'], 'the unique ID of the CloudTrail event (eventID in the JSON)'),
  str('ct.error', 'Error Code', ['errorCode'], 'the error code of the call (errorCode); absent when the call succeeded (`not ct.error exists`)'),
  str('ct.errormessage', 'Error Message', ['errorMessage'], 'the error message of a failed call (errorMessage)'),
  def('ct.time', 'Timestamp', 'the event time as written in the record (eventTime; @timestamp in Logstash exports)',
    (r) => getStr(r, 'eventTime') ?? getStr(r, '@timestamp'), 'timestamp', { properties: ['hidden'] }),
  str('ct.src', 'AWS Service', ['eventSource'], 'the service that received the call (eventSource, e.g. iam.amazonaws.com)'),
  def('ct.shortsrc', 'AWS Service', 'eventSource without the trailing .amazonaws.com (e.g. iam)', (r) => {
    const s = getStr(r, 'eventSource');
    return s === null ? null : shortSource(s);
  }),
  str('ct.name', 'Event Name', ['eventName'], 'the API call or event name (eventName, e.g. ListBuckets)'),
  def('ct.user', 'User Name', 'the user by identity type: Root/IAMUser userName, AWSService invokedBy, AssumedRole the role name (sessionIssuer.userName) or "AssumedRole", AWSAccount/FederatedUser the type; absent for other types',
    ctUser, 'string', { properties: ['conversation'] }),
  def('ct.originaluser', 'Original User Name', 'for AssumedRole the role session name (last ARN segment or principalId after ":"), else userIdentity.userName', ctOriginalUser),
  def('ct.user.accountid', 'User Account ID', 'the account of the caller (userIdentity.accountId, else recipientAccountId)',
    (r) => getStr(r, 'userIdentity', 'accountId') ?? getStr(r, 'recipientAccountId')),
  str('ct.user.identitytype', 'User Identity Type', ['userIdentity', 'type'], 'the kind of identity (Root, IAMUser, AssumedRole, AWSService, FederatedUser, ...)'),
  str('ct.user.principalid', 'User Principal Id', ['userIdentity', 'principalId'], 'a unique identifier of the caller (userIdentity.principalId)'),
  str('ct.user.arn', 'User ARN', ['userIdentity', 'arn'], 'the ARN of the caller (userIdentity.arn)'),
  str('ct.region', 'Region', ['awsRegion'], 'the AWS region of the call (awsRegion)'),
  str('ct.response.subnetid', 'Response Subnet ID', ['responseElements', 'subnetId'], 'the subnet ID in the response'),
  str('ct.response.reservationid', 'Response Reservation ID', ['responseElements', 'reservationId'], 'the reservation ID in the response'),
  def('ct.response', 'Response Elements', 'responseElements as compact JSON ("null" when null)', (r) => getJson(r, 'responseElements'), 'json'),
  str('ct.request.availabilityzone', 'Request Availability Zone', req('availabilityZone'), 'the availability zone in the request'),
  str('ct.request.cluster', 'Request Cluster', req('cluster'), 'the cluster in the request'),
  str('ct.request.functionname', 'Request Function Name', req('functionName'), 'the function name in the request'),
  str('ct.request.groupname', 'Request Group Name', req('groupName'), 'the group name in the request'),
  str('ct.request.host', 'Request Host Name', req('Host'), 'the host in the request (requestParameters.Host)'),
  str('ct.request.name', 'Host Name', req('name'), 'the name of the entity acted on (requestParameters.name)'),
  str('ct.request.policy', 'Host Policy', req('policy'), 'the policy in the request'),
  str('ct.request.reason', 'Request Reason', req('reason'), 'the reason in the request'),
  str('ct.request.target', 'Request Target', req('target'), 'the target in the request'),
  str('ct.request.documentname', 'Request Document Name', req('documentName'), 'the SSM document name in the request (requestParameters.documentName)'),
  str('ct.request.serialnumber', 'Request Serial Number', req('serialNumber'), 'the MFA serial number in the request'),
  str('ct.request.servicename', 'Request Service', req('serviceName'), 'the service name in the request'),
  str('ct.request.subnetid', 'Request Subnet ID', req('subnetId'), 'the subnet ID in the request'),
  str('ct.request.taskdefinition', 'Request Task Definition', req('taskDefinition'), 'the ECS task definition in the request'),
  str('ct.request.username', 'Request User Name', req('userName'), 'the user name in the request (e.g. CreateUser, CreateAccessKey)'),
  def('ct.request', 'Request Parameters', 'requestParameters as compact JSON', (r) => getJson(r, 'requestParameters'), 'json'),
  str('ct.srcip', 'Source IP', ['sourceIPAddress'], 'the caller address (sourceIPAddress); may be a service name such as ec2.amazonaws.com',
    { properties: ['conversation'] }),
  def('ct.srcip.v4', 'Source IP', 'sourceIPAddress when it is an IPv4 address (Stratoshark generated field)', (r) => srcipFamily(r, 4), 'ip'),
  def('ct.srcip.v6', 'Source IP', 'sourceIPAddress when it is an IPv6 address (Stratoshark generated field)', (r) => srcipFamily(r, 6), 'ip'),
  str('ct.useragent', 'User Agent', ['userAgent'], 'the user agent of the caller (userAgent)'),
  def('ct.info', 'Info', 'summary of the event: who, from where, read (←) or write (→), ! on error, and S3 size/URI or host', ctInfo, 'string',
    { properties: ['info'] }),
  def('ct.managementevent', 'Management Event', '"true" for a management event, "false" otherwise (managementEvent)', (r) => {
    const v = getPath(r, 'managementEvent');
    return v === undefined || v === null ? null : v === true || v === 'true' ? 'true' : 'false';
  }),
  def('ct.readonly', 'Read Only', '"true" if the call only reads, "false" if it changes state (readOnly, else guessed from the eventName prefix)', ctReadOnly),
  str('ct.requestid', 'Request ID', ['requestID'], 'the request ID (requestID)'),
  str('ct.eventtype', 'Event Type', ['eventType'], 'AwsApiCall, AwsServiceEvent, AwsConsoleSignIn, AwsConsoleAction or AwsCloudTrailInsight'),
  str('ct.apiversion', 'API Version', ['apiVersion'], 'the API version of the call (apiVersion)'),
  def('ct.resources', 'Resources', 'each element of resources[] as JSON, joined with ","', ctResources, 'json'),
  str('ct.recipientaccountid', 'Recipient Account Id', ['recipientAccountId'], 'the account that received the event (recipientAccountId)'),
  def('ct.serviceeventdetails', 'Service Event Details', 'serviceEventDetails as compact JSON', (r) => jsonOrString(r, 'serviceEventDetails'), 'json'),
  str('ct.sharedeventid', 'Shared Event ID', ['sharedEventID'], 'the ID shared by copies of a cross-account event (sharedEventID)'),
  str('ct.vpcendpointid', 'VPC Endpoint ID', ['vpcEndpointId'], 'the VPC endpoint the call came through (vpcEndpointId)'),
  str('ct.eventcategory', 'Event Category', ['eventCategory'], 'Management, Data or Insight (eventCategory)'),
  str('ct.addendum.reason', 'Reason', ['addendum', 'reason'], 'why the event was delivered late or changed (addendum.reason)'),
  str('ct.addendum.updatedfields', 'Updated Fields', ['addendum', 'updatedFields'], 'the fields an addendum updated'),
  str('ct.addendum.originalrequestid', 'Original Request ID', ['addendum', 'originalRequestID'], 'the request ID of the original event'),
  str('ct.addendum.originaleventid', 'Original Event ID', ['addendum', 'originalEventID'], 'the event ID of the original event'),
  def('ct.sessioncredentialfromconsole', 'Session Credential From Console', '"true" if the session credentials came from the console (sessionCredentialFromConsole)',
    (r) => getBoolStr(r, 'sessionCredentialFromConsole')),
  def('ct.edgedevicedetails', 'Edge Device Details', 'edgeDeviceDetails as compact JSON', (r) => jsonOrString(r, 'edgeDeviceDetails'), 'json'),
  str('ct.tlsdetails.tlsversion', 'TLS Version', ['tlsDetails', 'tlsVersion'], 'the TLS version of the call'),
  str('ct.tlsdetails.ciphersuite', 'TLS Cipher Suite', ['tlsDetails', 'cipherSuite'], 'the TLS cipher suite of the call'),
  str('ct.tlsdetails.clientprovidedhostheader', 'Client Provided Host Header', ['tlsDetails', 'clientProvidedHostHeader'], 'the host name the client asked for'),
  def('ct.additionaleventdata', 'Additional Event Data', 'additionalEventData as compact JSON', (r) => getJson(r, 'additionalEventData'), 'json'),
  def('s3.uri', 'Key URI', 'the S3 URI s3://<bucket>/<key>; absent unless both exist', s3Uri, 'string', { properties: ['conversation'] }),
  str('s3.bucket', 'Bucket Name', req('bucketName'), 'the bucket of an S3 call (requestParameters.bucketName)', { properties: ['conversation'] }),
  str('s3.key', 'Key Name', req('key'), 'the object key of an S3 call (requestParameters.key)'),
  def('s3.bytes', 'Total Bytes', 'bytes transferred in + out (additionalEventData)', s3Bytes, 'number'),
  def('s3.bytes.in', 'Bytes In', 'bytes uploaded (additionalEventData.bytesTransferredIn)', s3BytesIn, 'number', { properties: ['hidden'] }),
  def('s3.bytes.out', 'Bytes Out', 'bytes downloaded (additionalEventData.bytesTransferredOut)', s3BytesOut, 'number', { properties: ['hidden'] }),
  def('s3.cnt.get', 'N Get Ops', '1 for GetObject events, 0 otherwise', (r) => s3Count(r, 'get'), 'number', { properties: ['hidden'] }),
  def('s3.cnt.put', 'N Put Ops', '1 for PutObject events, 0 otherwise', (r) => s3Count(r, 'put'), 'number', { properties: ['hidden'] }),
  def('s3.cnt.other', 'N Other Ops', '0 for GetObject and PutObject events, 1 otherwise', (r) => s3Count(r, 'other'), 'number', { properties: ['hidden'] }),
  def('ec2.name', 'Instance Name', 'the Name tag of the instance in a RunInstances request', ec2Name),
  def('ec2.imageid', 'Image Id', 'the first image ID of the instances (deprecated: ec2.imageids[0])', (r) => ec2ImageIds(r)[0] ?? null),
  def('ec2.imageids', 'Image Ids', 'the image IDs of the instances in the response (or the request); ec2.imageids[N] picks one', ec2ImageIdsValue, 'list',
    { arg: { required: false, kind: 'index', description: 'index into the list' } }),
  str('ecr.repository', 'ECR Repository name', req('repositoryName'), 'the ECR repository in the request'),
  str('ecr.imagetag', 'Image Tag', req('imageTag'), 'the image tag in the request'),
  str('iam.role', 'IAM Role', req('roleName'), 'the IAM role in the request (requestParameters.roleName)'),
  str('iam.policy', 'IAM Policy', req('policyName'), 'the IAM policy in the request (requestParameters.policyName)'),
];

registerFields(cloudtrailFields);

/** Look up a CloudTrail field's extractor (throws on an unknown name: a programming error). */
export function ctExtractor(name: string): (rec: any, arg?: string) => Value {
  const d = cloudtrailFields.find((f) => f.name === name);
  if (!d?.extract) throw new Error(`no CloudTrail field ${name}`);
  return d.extract;
}
