/**
 * CloudTrail fields on real records. Every expected value below was written by
 * reading the record JSON (in ../shared/data/cloudtrail) against the field
 * table of fields-and-filters.md §1.2 / §1.3 — not from this code's output.
 * Rows are found by eventID (plus eventName where a curated set reuses IDs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getField, listFields } from '../../src/fields/registry.js';
import { fieldAccessor, type Table } from '../../src/frames/table.js';
import { loadCloudTrail } from '../../src/sources/cloudtrail/index.js';
import { needSharedData, sharedData, skip } from '../helpers.js';

const INV = 'cloudtrail/invictus-ir_aws_dataset/218007301253_CloudTrail_us-east-1_';
const F = {
  bucketPab: `${INV}20230710T1145Z_7xgocspSowgK0Gto.json`,
  runInstances: `${INV}20230710T1200Z_x9kHmzMa7cx6l9wM.json`,
  i1200: `${INV}20230710T1200Z_iLj9fb7yyUG9X4Bf.json`,
  consoleLogin: `${INV}20230710T1225Z_4iD2boYSOwmb6sWd.json`,
  health: `${INV}20230710T1145Z_s7dpHbl38neqZbm2.json`,
  lambda: `${INV}20230710T1230Z_04rtp9DpvIpSZzMr.json`,
  sg: `${INV}20230710T1215Z_YMDRJwtmC82bUwAo.json`,
  root2014: 'cloudtrail/grycap_cloudtrail-tracker/history_dynamodb_tmp/974349055189_CloudTrail_us-east-1_20140926T1345Z_NZBN3WkMdr3ql5OT.json.gz',
  trail2014: 'cloudtrail/grycap_cloudtrail-tracker/history_dynamodb_tmp/974349055189_CloudTrail_us-east-1_20140926T1130Z_r2w5B3s9khuvXvA7.json.gz',
  codecommit: 'cloudtrail/grycap_cloudtrail-tracker/history_other/examples/974349055189_CloudTrail_us-east-1_20170601T0815Z_QSedzPzMycuDqYW8.json.gz',
  ssm: 'cloudtrail/stratus-red-team_detonation-logs/aws.execution.ssm-start-session.json',
  efs: 'cloudtrail/cloud-custodian_cwe_eventbridge/event-cloud-trail-create-efs-mount-target.json',
  docs: 'cloudtrail/awsdocs_cloudtrail-user-guide/doc_example_events.jsonl',
  panther: 'cloudtrail/panther-analysis/aws_cloudtrail_rule_test_events.jsonl',
};

const BUCKET = 'baker221b-bucketssecuritylogsbef08b3e-13nrzhi7fcs7w';
type Expect = string | number | boolean | null | readonly string[] | RegExp;
// [file key, eventID, eventName or '' (disambiguates curated sets), field (with [arg]), expected]
type Row = [keyof typeof F, string, string, string, Expect];

const A = '3c856bc0-1a07-4c18-89d9-4d9205856714'; // IAMUser benjamin, GetBucketPublicAccessBlock
const RI = '86eac0ac-8521-4126-aa32-a22f2b74d02e'; // RunInstances by bert-jan
const SVC = '895dc875-cb08-45a5-b8c2-9158838741c0'; // AwsServiceEvent, userIdentity without type
const GPD = 'fbd91225-39aa-4c00-822c-9f0b96e7758f'; // AssumedRole, Client.UnauthorizedOperation
const AWSSVC = 'a4a7b25e-c2d5-436f-8a7e-ea89f50541ab'; // AWSService inspector2 AssumeRole
const LOGIN = '70e5932e-9022-4b38-837e-ca10dad94eb7'; // ConsoleLogin without MFA
const ROOT = '1aa72db4-c74f-4976-a53f-ed44a5168313'; // Root GetSessionToken, 2014, no readOnly / eventType
const INSIGHT = 'abcd00b0-ccfe-422d-961c-98a2198a408x';

const rows: Row[] = [
  // --- R1: IAMUser S3 bucket read with bytes, resources, VPC endpoint, TLS details
  ['bucketPab', A, '', 'ct.id', A],
  ['bucketPab', A, '', 'ct.error', null],
  ['bucketPab', A, '', 'ct.errormessage', null],
  ['bucketPab', A, '', 'ct.time', '2023-07-10T11:42:44Z'],
  ['bucketPab', A, '', 'ct.src', 's3.amazonaws.com'],
  ['bucketPab', A, '', 'ct.shortsrc', 's3'],
  ['bucketPab', A, '', 'ct.name', 'GetBucketPublicAccessBlock'],
  ['bucketPab', A, '', 'ct.user', 'benjamin'],
  ['bucketPab', A, '', 'ct.originaluser', 'benjamin'],
  ['bucketPab', A, '', 'ct.user.accountid', '123837392027'],
  ['bucketPab', A, '', 'ct.user.identitytype', 'IAMUser'],
  ['bucketPab', A, '', 'ct.user.principalid', 'AIDATFQR7NSC5U6Q3TMDR'],
  ['bucketPab', A, '', 'ct.user.arn', 'arn:aws:iam::123837392027:user/benjamin'],
  ['bucketPab', A, '', 'ct.region', 'us-east-1'],
  ['bucketPab', A, '', 'ct.response', 'null'],
  ['bucketPab', A, '', 'ct.response.subnetid', null],
  ['bucketPab', A, '', 'ct.request', `{"publicAccessBlock":"","bucketName":"${BUCKET}","Host":"${BUCKET}.s3.us-east-1.amazonaws.com"}`],
  ['bucketPab', A, '', 'ct.request.host', `${BUCKET}.s3.us-east-1.amazonaws.com`],
  ['bucketPab', A, '', 'ct.request.name', null],
  ['bucketPab', A, '', 'ct.srcip', '10.248.16.43'],
  ['bucketPab', A, '', 'ct.srcip.v4', '10.248.16.43'],
  ['bucketPab', A, '', 'ct.srcip.v6', null],
  ['bucketPab', A, '', 'ct.useragent', /^\[S3Console\/0\.4, aws-internal\/3 aws-sdk-java\/1\.12\.488 /],
  ['bucketPab', A, '', 'ct.info', `benjamin via 10.248.16.43 ← GetBucketPublicAccessBlock Size=326 Bucket=${BUCKET}`],
  ['bucketPab', A, '', 'ct.managementevent', 'true'],
  ['bucketPab', A, '', 'ct.readonly', 'true'],
  ['bucketPab', A, '', 'ct.requestid', 'NDWZRY56ZA5P31TT'],
  ['bucketPab', A, '', 'ct.eventtype', 'AwsApiCall'],
  ['bucketPab', A, '', 'ct.apiversion', null],
  ['bucketPab', A, '', 'ct.resources', `{"accountId":"123837392027","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::${BUCKET}"}`],
  ['bucketPab', A, '', 'ct.recipientaccountid', '123837392027'],
  ['bucketPab', A, '', 'ct.serviceeventdetails', null],
  ['bucketPab', A, '', 'ct.sharedeventid', null],
  ['bucketPab', A, '', 'ct.vpcendpointid', 'vpce-f40dc59d'],
  ['bucketPab', A, '', 'ct.eventcategory', 'Management'],
  ['bucketPab', A, '', 'ct.addendum.reason', null],
  ['bucketPab', A, '', 'ct.sessioncredentialfromconsole', null],
  ['bucketPab', A, '', 'ct.edgedevicedetails', null],
  ['bucketPab', A, '', 'ct.tlsdetails.tlsversion', 'TLSv1.2'],
  ['bucketPab', A, '', 'ct.tlsdetails.ciphersuite', 'ECDHE-RSA-AES128-GCM-SHA256'],
  ['bucketPab', A, '', 'ct.tlsdetails.clientprovidedhostheader', `${BUCKET}.s3.us-east-1.amazonaws.com`],
  ['bucketPab', A, '', 'ct.additionaleventdata',
    '{"SignatureVersion":"SigV4","CipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"6YyGGLKZXYf3vfASwZOXeSfV+THvl/YamrZ0rtLHzpt4vyqnkTLB3n1KJb2VdOujH+dvCFs2gbAH0hMUI3+0tw==","bytesTransferredOut":326}'],
  ['bucketPab', A, '', 's3.bucket', BUCKET],
  ['bucketPab', A, '', 's3.key', null],
  ['bucketPab', A, '', 's3.uri', null],
  ['bucketPab', A, '', 's3.bytes', 326],
  ['bucketPab', A, '', 's3.bytes.in', 0],
  ['bucketPab', A, '', 's3.bytes.out', 326],
  ['bucketPab', A, '', 's3.cnt.get', 0],
  ['bucketPab', A, '', 's3.cnt.put', 0],
  ['bucketPab', A, '', 's3.cnt.other', 1],
  ['bucketPab', A, '', 'ec2.name', null],
  ['bucketPab', A, '', 'ec2.imageid', null],
  ['bucketPab', A, '', 'ec2.imageids', null],
  ['bucketPab', A, '', 'ecr.repository', null],
  ['bucketPab', A, '', 'iam.role', null],
  ['bucketPab', A, '', 'json.value[/userIdentity/type]', 'IAMUser'],
  ['bucketPab', A, '', 'json.value[/readOnly]', 'true'],
  ['bucketPab', A, '', 'json.value[/resources/0/type]', 'AWS::S3::Bucket'],
  ['bucketPab', A, '', 'json.value[/no/such/member]', null],
  ['bucketPab', A, '', 'json.rawtime', 1688989364000000000n as unknown as number],
  // --- R2: RunInstances: image ids from the response, a non-Name instance tag, reservation id
  ['runInstances', RI, '', 'ct.readonly', 'false'],
  ['runInstances', RI, '', 'ct.info', 'bert-jan via 192.168.10.20 → RunInstances'],
  ['runInstances', RI, '', 'ct.response.reservationid', 'r-0ac0088de73525c3c'],
  ['runInstances', RI, '', 'ct.response.subnetid', null],
  ['runInstances', RI, '', 'ct.request.subnetid', null],
  ['runInstances', RI, '', 'ec2.imageids', ['ami-029eb80bc237bec6f']],
  ['runInstances', RI, '', 'ec2.imageids[0]', 'ami-029eb80bc237bec6f'],
  ['runInstances', RI, '', 'ec2.imageids[1]', null],
  ['runInstances', RI, '', 'ec2.imageid', 'ami-029eb80bc237bec6f'],
  ['runInstances', RI, '', 'ec2.name', null],
  ['runInstances', RI, '', 'ct.request.availabilityzone', null],
  // --- R3: service event without userIdentity.type, serviceEventDetails object
  ['i1200', SVC, '', 'ct.user', null],
  ['i1200', SVC, '', 'ct.user.identitytype', null],
  ['i1200', SVC, '', 'ct.originaluser', null],
  ['i1200', SVC, '', 'ct.user.accountid', '123837392027'],
  ['i1200', SVC, '', 'ct.info', '<invalid cloudtrail event: userIdentity field missing>'],
  ['i1200', SVC, '', 'ct.serviceeventdetails', '{"snapshotId":"snap-0e83092ae538da583"}'],
  ['i1200', SVC, '', 'ct.sharedeventid', 'b81f7fe5-36b5-49ea-bbc9-6a9007e733c0'],
  ['i1200', SVC, '', 'ct.eventtype', 'AwsServiceEvent'],
  ['i1200', SVC, '', 'ct.request', 'null'],
  ['i1200', SVC, '', 'ct.srcip', 'ec2.amazonaws.com'],
  ['i1200', SVC, '', 'ct.srcip.v4', null],
  ['i1200', SVC, '', 'ct.tlsdetails.tlsversion', null],
  // --- R4: SSM SendCommand (documentName)
  ['i1200', '99b46479-d5c7-4384-b342-006ece8c36a0', '', 'ct.request.documentname', 'AWS-RunShellScript'],
  ['i1200', '99b46479-d5c7-4384-b342-006ece8c36a0', '', 'ct.info', 'bert-jan via 192.168.10.20 → SendCommand'],
  // --- R5: AssumedRole session with an error
  ['i1200', GPD, '', 'ct.user', 'stratus-red-team-ec2-get-password-data-role'],
  ['i1200', GPD, '', 'ct.originaluser', 'aws-go-sdk-1688990082523310002'],
  ['i1200', GPD, '', 'ct.user.identitytype', 'AssumedRole'],
  ['i1200', GPD, '', 'ct.user.principalid', 'AROATFQR7NSCWWVLB7BES:aws-go-sdk-1688990082523310002'],
  ['i1200', GPD, '', 'ct.error', 'Client.UnauthorizedOperation'],
  ['i1200', GPD, '', 'ct.errormessage', /^You are not authorized to perform this operation\. Encoded authorization failure message: 1Qju1r/],
  ['i1200', GPD, '', 'ct.info', 'stratus-red-team-ec2-get-password-data-role via 192.168.10.20 !← GetPasswordData'],
  // --- R6: AWSService caller (user == srcip), accountid from recipientAccountId
  ['i1200', AWSSVC, '', 'ct.user', 'inspector2.amazonaws.com'],
  ['i1200', AWSSVC, '', 'ct.info', 'inspector2.amazonaws.com ← AssumeRole'],
  ['i1200', AWSSVC, '', 'ct.originaluser', null],
  ['i1200', AWSSVC, '', 'ct.user.accountid', '123837392027'],
  ['i1200', AWSSVC, '', 'ct.user.arn', null],
  ['i1200', AWSSVC, '', 'ct.user.principalid', null],
  ['i1200', AWSSVC, '', 'ct.sharedeventid', '71797d26-1286-4204-81d4-cbcce8819672'],
  ['i1200', AWSSVC, '', 'ct.resources',
    '{"accountId":"123837392027","type":"AWS::IAM::Role","ARN":"arn:aws:iam::123837392027:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2"}'],
  // --- IAM / lambda / EC2 request members
  ['i1200', '6c1eed73-00ee-4810-8009-c9ce5990c100', '', 'iam.role', 'stratus-red-team-ec2-get-password-data-role'],
  ['i1200', '6c1eed73-00ee-4810-8009-c9ce5990c100', '', 'iam.policy', 'inline-policy'],
  ['i1200', '6c1eed73-00ee-4810-8009-c9ce5990c100', '', 'ct.request.policy', null],
  ['i1200', '078ad2dc-a2bf-46ee-90dc-f524fb5fe1f1', '', 'ct.request.availabilityzone', 'us-east-1a'],
  ['i1200', '078ad2dc-a2bf-46ee-90dc-f524fb5fe1f1', '', 'ec2.name', null],
  ['i1200', '16034e79-0235-4886-9566-19d4a4ca1d72', '', 'ct.request.subnetid', 'subnet-0ed352584ab4aa265'],
  ['lambda', 'eaced50d-35b0-4cc7-b46a-f2e8b80e872e', '', 'ct.request.functionname', 'stratus-red-team-backdoor-f-func'],
  ['lambda', 'eaced50d-35b0-4cc7-b46a-f2e8b80e872e', '', 'ct.readonly', 'true'],
  ['sg', '7475937c-a863-44ce-9878-81e8a268e966', '', 'ct.request.groupname', 'stratus-red-team-open-sg-sg'],
  ['sg', '7475937c-a863-44ce-9878-81e8a268e966', '', 'ec2.name', null],
  ['bucketPab', 'b29fbfda-cd70-40c0-86d8-529d8f653638', '', 'ct.apiversion', '2013-04-01'],
  ['health', 'c20d93d2-87e1-483d-9c6c-9cdfc35671d4', '', 'ct.request.policy', ''],
  // --- R7: ConsoleLogin without MFA (the Falco rule's json.value members)
  ['consoleLogin', LOGIN, '', 'json.value[/responseElements/ConsoleLogin]', 'Success'],
  ['consoleLogin', LOGIN, '', 'json.value[/additionalEventData/MFAUsed]', 'No'],
  ['consoleLogin', LOGIN, '', 'ct.eventtype', 'AwsConsoleSignIn'],
  ['consoleLogin', LOGIN, '', 'ct.info', 'stratus-red-team-nmfalu-gfjyeaypjt via 192.168.10.20 → ConsoleLogin'],
  ['consoleLogin', LOGIN, '', 'ct.additionaleventdata', '{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"}'],
  ['consoleLogin', LOGIN, '', 'ct.tlsdetails.tlsversion', 'TLSv1.3'],
  ['consoleLogin', LOGIN, '', 'ct.tlsdetails.clientprovidedhostheader', 'signin.aws.amazon.com'],
  ['consoleLogin', LOGIN, '', 'ct.request', 'null'],
  ['consoleLogin', LOGIN, '', 's3.bytes', null],
  // --- R8: sessionCredentialFromConsole written as the string "true"
  ['health', '21c87313-5709-46b6-9a83-c7096a761200', '', 'ct.sessioncredentialfromconsole', 'true'],
  ['health', '21c87313-5709-46b6-9a83-c7096a761200', '', 'ct.info', 'benjamin via health.amazonaws.com ← DescribeEventAggregates'],
  // --- R9/R10: 2014 records without readOnly, managementEvent (and eventType for the Root one)
  ['root2014', ROOT, '', 'ct.user', 'grycap-aws'],
  ['root2014', ROOT, '', 'ct.originaluser', 'grycap-aws'],
  ['root2014', ROOT, '', 'ct.user.identitytype', 'Root'],
  ['root2014', ROOT, '', 'ct.readonly', 'true'],
  ['root2014', ROOT, '', 'ct.managementevent', null],
  ['root2014', ROOT, '', 'ct.eventtype', null],
  ['root2014', ROOT, '', 'ct.eventcategory', null],
  ['root2014', ROOT, '', 'ct.request', '{"durationSeconds":43200}'],
  ['root2014', ROOT, '', 'ct.info', 'grycap-aws via 158.42.105.124 ← GetSessionToken'],
  ['trail2014', 'a059409b-5604-421d-b4c1-d3f8eec8f8d6', '', 'ct.readonly', 'false'],
  ['codecommit', '9bf491d8-b1f7-48c9-b1c3-1fe7ffac0cae', '', 'ct.request.servicename', 'codecommit.amazonaws.com'],
  ['codecommit', '9bf491d8-b1f7-48c9-b1c3-1fe7ffac0cae', '', 'ct.request.username', 'micafer'],
  ['ssm', '8086b250-d29c-4659-9aec-86c8446a3895', '', 'ct.request.target', 'i-eA1d1296c1dE3Aa1f'],
  ['ssm', '8086b250-d29c-4659-9aec-86c8446a3895', '', 'ct.user', 'christophe'],
  ['efs', 'ffeeb98c-2a0b-4e5d-bdf4-8e9909ca5763', '', 'ct.response.subnetid', 'subnet-efbcccb7'],
  ['efs', 'ffeeb98c-2a0b-4e5d-bdf4-8e9909ca5763', '', 'ct.request.subnetid', 'subnet-efbcccb7'],
  ['efs', 'ffeeb98c-2a0b-4e5d-bdf4-8e9909ca5763', '', 'ct.apiversion', '2015-02-01'],
  // --- documentation examples: Insights event, root MFA device
  ['docs', INSIGHT, '', 'ct.eventtype', 'AwsCloudTrailInsight'],
  ['docs', INSIGHT, '', 'ct.eventcategory', 'Insight'],
  ['docs', INSIGHT, '', 'ct.name', null],
  ['docs', INSIGHT, '', 'ct.src', null],
  ['docs', INSIGHT, '', 'ct.user', null],
  ['docs', INSIGHT, '', 'ct.readonly', null],
  ['docs', INSIGHT, '', 's3.cnt.other', null],
  ['docs', INSIGHT, '', 'ct.sharedeventid', '7bb000gg-22b3-4c03-94af-c74tj0c8m7c0'],
  ['docs', INSIGHT, '', 'ct.user.accountid', '838185438692'],
  ['docs', INSIGHT, '', 'ct.info', '<invalid cloudtrail event: userIdentity field missing>'],
  ['docs', INSIGHT, '', 'json.value[/insightDetails/insightType]', 'ApiCallRateInsight'],
  ['docs', 'EXAMPLEb-7dae-48cb-895f-20e86EXAMPLE', '', 'ct.request.serialnumber', 'arn:aws:iam::111122223333:mfa/root-account-mfa-device'],
  ['docs', 'EXAMPLEb-7dae-48cb-895f-20e86EXAMPLE', '', 'ct.request.username', 'AWS ROOT USER'],
  ['docs', 'EXAMPLEb-7dae-48cb-895f-20e86EXAMPLE', '', 'ct.user', null],
  // --- curated (Panther) records for S3 objects, ECR and EC2 instance names
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.uri', 's3://my-company-bucket/reports/quarterly-report.pdf'],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.key', 'reports/quarterly-report.pdf'],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.bytes', 524288],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.bytes.in', 524288],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.bytes.out', 0],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.cnt.put', 1],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.cnt.get', 0],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 's3.cnt.other', 0],
  ['panther', 'b1b2b3b4-4444-5555-6666-EXAMPLE55555', '', 'ct.info',
    'legitimate-user via 203.0.113.10 → PutObject Size=524288 URI=s3://my-company-bucket/reports/quarterly-report.pdf'],
  ['panther', '2bfd4ee2-2178-4a82-a27d-b12939923f0f', 'PutImage', 'ecr.repository', 'testrepo'],
  ['panther', '2bfd4ee2-2178-4a82-a27d-b12939923f0f', 'PutImage', 'ecr.imagetag', 'latest'],
  ['panther', '015c585b-cbc2-4f9e-9c52-a2f22f3c09f4', '', 'ec2.name', 'test2'],
  ['panther', '015c585b-cbc2-4f9e-9c52-a2f22f3c09f4', '', 'ct.user', 'DevAdministrator'],
  ['panther', '015c585b-cbc2-4f9e-9c52-a2f22f3c09f4', '', 'ct.originaluser', 'temp_user'],
];

/** Every field of §1.2 of the reference (the plugin's field table). */
const PLUGIN_FIELDS = `ct.id ct.error ct.errormessage ct.time ct.src ct.shortsrc ct.name ct.user ct.originaluser
ct.user.accountid ct.user.identitytype ct.user.principalid ct.user.arn ct.region ct.response.subnetid
ct.response.reservationid ct.response ct.request.availabilityzone ct.request.cluster ct.request.functionname
ct.request.groupname ct.request.host ct.request.name ct.request.policy ct.request.reason ct.request.target
ct.request.documentname ct.request.serialnumber ct.request.servicename ct.request.subnetid
ct.request.taskdefinition ct.request.username ct.request ct.srcip ct.useragent ct.info ct.managementevent
ct.readonly ct.requestid ct.eventtype ct.apiversion ct.resources ct.recipientaccountid ct.serviceeventdetails
ct.sharedeventid ct.vpcendpointid ct.eventcategory ct.addendum.reason ct.addendum.updatedfields
ct.addendum.originalrequestid ct.addendum.originaleventid ct.sessioncredentialfromconsole ct.edgedevicedetails
ct.tlsdetails.tlsversion ct.tlsdetails.ciphersuite ct.tlsdetails.clientprovidedhostheader ct.additionaleventdata
s3.uri s3.bucket s3.key s3.bytes s3.bytes.in s3.bytes.out s3.cnt.get s3.cnt.put s3.cnt.other ec2.name
ec2.imageid ec2.imageids ecr.repository ecr.imagetag iam.role iam.policy`.split(/\s+/);

describe('CloudTrail field registry', () => {
  it('registers every field of the plugin table with display name, type and description', () => {
    expect(PLUGIN_FIELDS.length).toBe(73);
    for (const name of PLUGIN_FIELDS) {
      const d = getField(name);
      expect(d, name).toBeDefined();
      expect(d!.display.length, name).toBeGreaterThan(0);
      expect(d!.description.length, name).toBeGreaterThan(0);
      expect(d!.source).toBe('aws_cloudtrail');
      expect(typeof d!.extract).toBe('function');
    }
    expect(listFields('ct.').length).toBeGreaterThanOrEqual(58);
  });
  it('types: byte counters are numbers, serialized members json, image ids a list', () => {
    expect(getField('s3.bytes')!.type).toBe('number');
    expect(getField('ct.request')!.type).toBe('json');
    expect(getField('ec2.imageids')!.type).toBe('list');
    expect(getField('ct.readonly')!.type).toBe('string');
    expect(getField('ct.user')!.properties).toContain('conversation');
    expect(getField('ct.time')!.properties).toContain('hidden');
    expect(getField('ct.info')!.properties).toContain('info');
    expect(getField('json.value')!.arg?.required).toBe(true);
  });
});

describe.skipIf(skip(needSharedData('cloudtrail')))('CloudTrail fields on real records', () => {
  const tables = new Map<string, Table>();
  beforeAll(async () => {
    for (const [key, rel] of Object.entries(F)) {
      const r = await loadCloudTrail(sharedData(rel));
      tables.set(key, r.table);
    }
  });

  function rowOf(t: Table, id: string, name: string): number {
    const ids = fieldAccessor(t, 'ct.id')!;
    const names = fieldAccessor(t, 'ct.name')!;
    const n = t.totalRows();
    for (let i = 0; i < n; i++) if (ids(i) === id && (!name || names(i) === name)) return i;
    return -1;
  }

  it.each(rows.map((r) => [`${r[3]} of ${r[1]}${r[2] ? ` (${r[2]})` : ''}`, r] as const))('%s', (_label, [file, id, name, spec, want]) => {
    const t = tables.get(file)!;
    const row = rowOf(t, id, name);
    expect(row, `record ${id} in ${F[file]}`).toBeGreaterThanOrEqual(0);
    const m = /^([^[]+)(?:\[(.*)\])?$/.exec(spec)!;
    const get = fieldAccessor(t, m[1]!, m[2]);
    expect(get, spec).not.toBeNull();
    const got = get!(row);
    if (want instanceof RegExp) expect(got).toMatch(want);
    else expect(got).toEqual(want);
  });
});
